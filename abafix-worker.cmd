@echo off
rem Runs an abafix worker on Windows: the jar beside this file (the release), else the build's.
set "jar=%~dp0abafix-worker.jar"
if not exist "%jar%" set "jar=%~dp0worker\target\abafix-worker.jar"
if not exist "%jar%" (
  echo abafix-worker: no abafix-worker.jar here; build it with: mvn -B -DskipTests package 1>&2
  exit /b 2
)
java -jar "%jar%" %*
exit /b %ERRORLEVEL%
