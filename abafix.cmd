@echo off
rem Runs the abafix command line on Windows, as ./abafix does elsewhere (see abafix.ps1).
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0abafix.ps1" %*
exit /b %ERRORLEVEL%
