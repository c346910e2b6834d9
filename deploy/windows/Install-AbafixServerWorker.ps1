#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
Registers the abafix per-server worker on this Entra Connect server, or locks its credential file.

.DESCRIPTION
Install (the default): registers a scheduled task, \abafix\abafix-server-worker, that starts at
boot as a dedicated account and runs

    java -jar abafix-worker.jar server --name <this computer>

with TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE set, through a small launcher (abafix-server-worker.cmd
beside the jar) that appends the worker's output to C:\ProgramData\abafix\logs\server-worker.log and
starts the worker again a minute after it exits, unless it exited with 2 (bad configuration: an
operator must act). A scheduled task rather than a service: java.exe does not speak the Service
Control Manager's protocol, and a task needs no third-party wrapper.

The account: a dedicated domain (or local) user, never a Global Administrator and never the ADSync
service account. It must be a member of the local Administrators group and of ADSyncAdmins (the
scripts pause the sync scheduler, stop and start ADSync and write HKLM) and may log on as a batch
job. For an API key or a TLS client certificate, put a temporal.toml profile in that account's
%APPDATA%\temporalio folder (or point TEMPORAL_CONFIG_FILE at one).

THE CREDENTIAL FILE. Reverting a server to a service account needs a Hybrid Identity Administrator
credential, which the worker reads from a CliXml file on this server. Export-Clixml protects it with
DPAPI: only the user who wrote it, on the machine where it was written, can read it back. So write
it AS THE WORKER'S ACCOUNT, ON THIS SERVER:

    runas /profile /user:CONTOSO\svc-abafix-sync powershell.exe
    # then, in the window that opens:
    Get-Credential | Export-Clixml C:\ProgramData\abafix\hybrid-identity-admin.xml

Then lock the file to that account with -ProtectCredentialFile (below), and start remediations with

    abafix remediate ... --credential-ref clixml:C:\ProgramData\abafix\hybrid-identity-admin.xml

The secret never leaves this server; Temporal only ever sees the reference.

.PARAMETER TemporalAddress
The Temporal frontend, host:port, for example temporal.contoso.com:7233.

.PARAMETER TemporalNamespace
The Temporal namespace; default: default.

.PARAMETER Account
The worker's dedicated account, DOMAIN\user (or .\user for a local account).

.PARAMETER AccountPassword
That account's password, asked for when not given. Task Scheduler stores it to log the task on.

.PARAMETER InstallDir
The folder holding abafix-worker.jar and its lib folder (worker/target after mvn package).

.PARAMETER JavaPath
java.exe of a Java 17 or later runtime; default: the java.exe found on PATH now.

.PARAMETER PowerShellExe
The PowerShell the worker runs the scripts with: powershell.exe (5.1, default) or pwsh.

.PARAMETER ProtectCredentialFile
Only lock CredentialFile: readable by Account alone (Administrators may replace or delete it, but
DPAPI keeps them from reading the secret). Run it after creating the file.

.PARAMETER CredentialFile
The CliXml credential file; default: C:\ProgramData\abafix\hybrid-identity-admin.xml.

.EXAMPLE
.\Install-AbafixServerWorker.ps1 -TemporalAddress temporal.contoso.com:7233 -Account CONTOSO\svc-abafix-sync

.EXAMPLE
.\Install-AbafixServerWorker.ps1 -ProtectCredentialFile -Account CONTOSO\svc-abafix-sync
#>
[CmdletBinding(DefaultParameterSetName = 'Install')]
param(
    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [ValidatePattern('^[A-Za-z0-9.\-\[\]:]+:[0-9]{1,5}$')]
    [string] $TemporalAddress,

    [Parameter(ParameterSetName = 'Install')]
    [ValidatePattern('^[A-Za-z0-9._\-]+$')]
    [string] $TemporalNamespace = 'default',

    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^"%&|<>^]+\\[^"%&|<>^\\]+$')]
    [string] $Account,

    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [System.Security.SecureString] $AccountPassword,

    [Parameter(ParameterSetName = 'Install')]
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'abafix'),

    [Parameter(ParameterSetName = 'Install')]
    [string] $JavaPath,

    [Parameter(ParameterSetName = 'Install')]
    [ValidateSet('powershell.exe', 'pwsh')]
    [string] $PowerShellExe = 'powershell.exe',

    [Parameter(Mandatory = $true, ParameterSetName = 'Protect')]
    [switch] $ProtectCredentialFile,

    [Parameter(ParameterSetName = 'Protect')]
    [string] $CredentialFile = (Join-Path $env:ProgramData 'abafix\hybrid-identity-admin.xml')
)

$ErrorActionPreference = 'Stop'
$administrators = '*S-1-5-32-544'
$system = '*S-1-5-18'

function Invoke-Icacls {
    param([string[]] $Arguments)
    & icacls.exe @Arguments | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

if ($PSCmdlet.ParameterSetName -eq 'Protect') {
    if (-not (Test-Path -LiteralPath $CredentialFile -PathType Leaf)) {
        throw "$CredentialFile does not exist: create it as $Account first (see Get-Help $PSCommandPath -Full)"
    }
    Invoke-Icacls @($CredentialFile, '/inheritance:r', '/grant:r', "${Account}:(R)", "${administrators}:(F)")
    Write-Host "$CredentialFile is now readable by $Account only."
    Write-Host "Credential reference: clixml:$CredentialFile"
    return
}

$jar = Join-Path $InstallDir 'abafix-worker.jar'
if (-not (Test-Path -LiteralPath $jar -PathType Leaf) -or -not (Test-Path -LiteralPath (Join-Path $InstallDir 'lib') -PathType Container)) {
    throw "$InstallDir must hold abafix-worker.jar and its lib folder (copy them from worker\target)"
}
if (-not $JavaPath) {
    $found = Get-Command java.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $found) { throw 'java.exe is not on PATH: install Java 17 or later, or give -JavaPath' }
    $JavaPath = $found.Path
}
if (-not (Test-Path -LiteralPath $JavaPath -PathType Leaf)) { throw "$JavaPath does not exist" }

# The worker account creates the credential file and writes its log here; no other user may.
$dataDir = Join-Path $env:ProgramData 'abafix'
$logDir = Join-Path $dataDir 'logs'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
Invoke-Icacls @($dataDir, '/inheritance:r', '/grant:r', "${system}:(OI)(CI)(F)", "${administrators}:(OI)(CI)(F)", "${Account}:(OI)(CI)(M)")

# The task runs this launcher; it lives beside the jar, where only administrators can change it.
$server = $env:COMPUTERNAME
$launcher = Join-Path $InstallDir 'abafix-server-worker.cmd'
$lines = @(
    '@echo off',
    'rem Written by Install-AbafixServerWorker.ps1: run that again to change it.',
    "set `"TEMPORAL_ADDRESS=$TemporalAddress`"",
    "set `"TEMPORAL_NAMESPACE=$TemporalNamespace`"",
    ':run',
    "`"$JavaPath`" -jar `"$jar`" server --name $server --powershell $PowerShellExe >> `"$logDir\server-worker.log`" 2>&1",
    'rem Exit code 2: bad configuration, which a restart cannot fix.',
    'if %ERRORLEVEL% EQU 2 exit /b 2',
    'powershell.exe -NoProfile -NonInteractive -Command "Start-Sleep -Seconds 60"',
    'goto run'
)
Set-Content -LiteralPath $launcher -Value $lines -Encoding Ascii

$password = (New-Object System.Net.NetworkCredential('', $AccountPassword)).Password
$action = New-ScheduledTaskAction -Execute $launcher -WorkingDirectory $InstallDir
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -ExecutionTimeLimit ([TimeSpan]::Zero) -MultipleInstances IgnoreNew `
    -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) -StartWhenAvailable
Register-ScheduledTask -TaskPath '\abafix\' -TaskName 'abafix-server-worker' -Action $action -Trigger $trigger `
    -Settings $settings -User $Account -Password $password -RunLevel Highest -Force | Out-Null
$password = $null
Start-ScheduledTask -TaskPath '\abafix\' -TaskName 'abafix-server-worker'

Write-Host "Registered \abafix\abafix-server-worker: polls abafix-server-$($server.ToLowerInvariant()) on $TemporalAddress/$TemporalNamespace as $Account."
Write-Host "Log: $logDir\server-worker.log"
Write-Host "Next, unless done: make $Account a member of Administrators and ADSyncAdmins, then create the"
Write-Host "credential file as $Account and lock it with -ProtectCredentialFile (Get-Help $PSCommandPath -Full)."
