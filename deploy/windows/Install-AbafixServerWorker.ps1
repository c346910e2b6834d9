#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
Registers the abafix per-server worker on this Entra Connect server, or locks its credential file.

.DESCRIPTION
Install (the default): registers a scheduled task, \abafix\abafix-server-worker, that starts at
boot as a dedicated account and runs

    java -jar abafix-worker.jar server --name <this computer> --tenant <the tenant it syncs>

with TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE set, through a small launcher (abafix-server-worker.cmd
beside the jar) that appends the worker's output to C:\ProgramData\abafix\logs\server-worker.log and
starts the worker again a minute after it exits, unless it exited with 2 (bad configuration: an
operator must act). A scheduled task rather than a service: java.exe does not speak the Service
Control Manager's protocol, and a task needs no third-party wrapper.

The account: a dedicated domain (or local) user, or a group managed service account (gMSA), never a
Global Administrator and never the ADSync service account. The scripts pause the sync scheduler,
stop and start ADSync and write HKLM, so the installer makes the account a member of the local
Administrators group (by its well-known SID, whatever the group is called in this language) and of
ADSyncAdmins BEFORE the task first starts: a logon token carries the groups of its logon time only.
It then checks that the account may log on as a batch job (SeBatchLogonRight, and no
SeDenyBatchLogonRight) and refuses to register the task otherwise.

No password is ever a parameter: PowerShell module logging (event 4103) records parameter bindings
in clear text. For a user account the installer asks for the password (Get-Credential) and hands it
to Task Scheduler through its COM interface, which no module log sees; a gMSA has no password to
give (this computer must be allowed to retrieve it: PrincipalsAllowedToRetrieveManagedPassword).
Every ACL names the account by its SID.

For an API key or a TLS client certificate, put a temporal.toml profile in that account's
%APPDATA%\temporalio folder (or point TEMPORAL_CONFIG_FILE at one).

THE SIGN-IN HOST. The worker fetches the approvers' signing keys from their cloud's sign-in host
when it starts (login.microsoftonline.com; login.microsoftonline.us for US Government and DoD;
login.partner.microsoftonline.cn for China), and does not start without them: it needs outbound
HTTPS (443) to that host. Java does not read Windows' proxy settings by itself: behind a proxy, give
-Proxy (or -UseSystemProxy), which the launcher passes to java.exe.

THE CREDENTIAL FILE. Reverting a server to a service account needs a Hybrid Identity Administrator
credential, which the worker reads from a CliXml file on this server. Export-Clixml protects it with
DPAPI: only the user who wrote it, on the machine where it was written, can read it back. So write
it AS THE WORKER'S ACCOUNT, ON THIS SERVER:

    runas /profile /user:CONTOSO\svc-abafix-sync powershell.exe
    # then, in the window that opens:
    Get-Credential | Export-Clixml C:\ProgramData\abafix\hybrid-identity-admin.xml

Then lock the file to that account with -ProtectCredentialFile (below), and start remediations with

    abafix remediate ... --credential-ref clixml:C:\ProgramData\abafix\hybrid-identity-admin.xml

The secret never leaves this server; Temporal only ever sees the reference. A gMSA cannot log on
interactively, so it cannot write this file: a worker running as a gMSA can do everything but the
revert to a service account, which then stays an operator step.

.PARAMETER TemporalAddress
The Temporal frontend, host:port, for example temporal.contoso.com:7233.

.PARAMETER TemporalNamespace
The Temporal namespace; default: default.

.PARAMETER Account
The worker's dedicated account, DOMAIN\user (or .\user for a local account), or DOMAIN\name$ with
-GroupManagedServiceAccount. For a user account the installer asks for its password; Task Scheduler
stores it to log the task on.

.PARAMETER ApproverTenantId
The Entra ID tenant (a GUID) whose signed sign-ins approve this server's destructive steps: the
worker verifies each approval against it before it reverts, regenerates or reconfigures anything.

.PARAMETER ApproverClientId
The application (client) id of abafix's app registration that approvers sign in to.

.PARAMETER ApproverRole
The app role an approver must hold; default Abafix.Approver.

.PARAMETER TwoPerson
Also require the requester's signed start, and an approver who is someone else.

.PARAMETER GroupManagedServiceAccount
Account is a group managed service account: no password is asked for.

.PARAMETER SkipBatchLogonCheck
Register the task although the check finds no "log on as a batch job" right for the account, its
SID, Administrators, ADSyncAdmins, Everyone or Authenticated Users: for a right granted through a
domain group the check cannot see. A right that is denied is never skipped.

.PARAMETER InstallDir
The folder holding abafix-worker.jar and its lib folder (worker/target after mvn package).

.PARAMETER JavaPath
java.exe of a Java 17 or later runtime; default: the java.exe found on PATH now.

.PARAMETER PowerShellExe
The PowerShell the worker runs the scripts with: the 64-bit Windows PowerShell 5.1 (default:
%SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe). A name without a folder is
resolved to its absolute path now; the worker accepts only an absolute one.

.PARAMETER ModuleFolder
A pre-staged ADSyncTools module folder on this server, for servers without internet access: the
policy file lists each of its files with its SHA-256, so the worker installs exactly these files.

.PARAMETER GalleryVersion
The ADSyncTools version the worker may install from the PowerShell Gallery; default 2.3.0. Give
'none' to allow no Gallery install (with -ModuleFolder, for servers without internet access).

.PARAMETER Proxy
The HTTPS proxy the worker reaches the sign-in host through, host:port, for example
proxy.contoso.com:8080: passed to java.exe as -Dhttps.proxyHost and -Dhttps.proxyPort.

.PARAMETER UseSystemProxy
Instead of -Proxy: java.exe uses the proxy configured in Windows for the task's account
(-Djava.net.useSystemProxies=true). That account may have no proxy configured; -Proxy is the
dependable choice.

.PARAMETER NoProxyFor
With -Proxy or -UseSystemProxy: hosts java.exe reaches directly, separated by |, wildcards at
either end allowed, for example 'localhost|*.contoso.com' (-Dhttp.nonProxyHosts, which covers HTTPS
too). The Temporal frontend of -TemporalAddress is always one of them: Java would otherwise send the
worker's connection to Temporal through the proxy as well.

.PARAMETER TemporalThroughProxy
With -Proxy or -UseSystemProxy: reach the Temporal frontend through the proxy too (for a Temporal
that is only reachable that way; the proxy must pass HTTP/2 through CONNECT).

.PARAMETER ProtectCredentialFile
Only lock CredentialFile: readable by Account alone (Administrators may replace or delete it, but
DPAPI keeps them from reading the secret). Run it after creating the file.

.PARAMETER CredentialFile
The CliXml credential file; default: C:\ProgramData\abafix\hybrid-identity-admin.xml.

.EXAMPLE
.\Install-AbafixServerWorker.ps1 -TemporalAddress temporal.contoso.com:7233 -Tenant contoso.onmicrosoft.com -ApproverTenantId 0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d -ApproverClientId 3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6 -Account CONTOSO\svc-abafix-sync

.EXAMPLE
.\Install-AbafixServerWorker.ps1 -TemporalAddress temporal.contoso.com:7233 -Tenant contoso.onmicrosoft.com -ApproverTenantId 0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d -ApproverClientId 3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6 -Account 'CONTOSO\gmsa-abafix$' -GroupManagedServiceAccount

.EXAMPLE
.\Install-AbafixServerWorker.ps1 -TemporalAddress temporal.contoso.com:7233 -Tenant contoso.onmicrosoft.com -ApproverTenantId 0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d -ApproverClientId 3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6 -Account CONTOSO\svc-abafix-sync -Proxy proxy.contoso.com:8080 -NoProxyFor '*.contoso.com'

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

    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [ValidatePattern('^[A-Za-z0-9._\-]+$')]
    [string] $Tenant,

    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string] $ApproverTenantId,

    [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string] $ApproverClientId,

    [Parameter(ParameterSetName = 'Install')]
    [ValidatePattern('^[A-Za-z0-9._\-]+$')]
    [string] $ApproverRole = 'Abafix.Approver',

    [Parameter(ParameterSetName = 'Install')]
    [switch] $TwoPerson,

    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^"%&|<>^]+\\[^"%&|<>^\\]+$')]
    [string] $Account,

    [Parameter(ParameterSetName = 'Install')]
    [switch] $GroupManagedServiceAccount,

    [Parameter(ParameterSetName = 'Install')]
    [switch] $SkipBatchLogonCheck,

    [Parameter(ParameterSetName = 'Install')]
    [string] $InstallDir = (Join-Path $env:ProgramFiles 'abafix'),

    [Parameter(ParameterSetName = 'Install')]
    [string] $JavaPath,

    [Parameter(ParameterSetName = 'Install')]
    [ValidateSet('powershell.exe', 'pwsh')]
    [string] $PowerShellExe = (Join-Path $env:SystemRoot 'System32\WindowsPowerShell\v1.0\powershell.exe'),

    [Parameter(ParameterSetName = 'Install')]
    [string] $ModuleFolder,

    [Parameter(ParameterSetName = 'Install')]
    [string] $GalleryVersion = '2.3.0',

    [Parameter(ParameterSetName = 'Install')]
    [ValidatePattern('^[A-Za-z0-9.\-]+:[0-9]{1,5}$')]
    [string] $Proxy,

    [Parameter(ParameterSetName = 'Install')]
    [switch] $UseSystemProxy,

    [Parameter(ParameterSetName = 'Install')]
    [ValidatePattern('^[A-Za-z0-9.*\-]+(\|[A-Za-z0-9.*\-]+)*$')]
    [string] $NoProxyFor,

    [Parameter(ParameterSetName = 'Install')]
    [switch] $TemporalThroughProxy,

    [Parameter(Mandatory = $true, ParameterSetName = 'Protect')]
    [switch] $ProtectCredentialFile,

    [Parameter(ParameterSetName = 'Protect')]
    [string] $CredentialFile = (Join-Path $env:ProgramData 'abafix\hybrid-identity-admin.xml')
)

$ErrorActionPreference = 'Stop'
$administrators = 'S-1-5-32-544'
$system = 'S-1-5-18'
$taskPath = '\abafix\'
$taskName = 'abafix-server-worker'

function Invoke-Icacls {
    param([string[]] $Arguments)
    & icacls.exe @Arguments | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Resolve-AbafixSid {
    # Names differ between languages and can be renamed; a SID does not.
    param([Parameter(Mandatory = $true)][string] $Name)
    try {
        return (New-Object System.Security.Principal.NTAccount($Name)).Translate([System.Security.Principal.SecurityIdentifier]).Value
    } catch {
        throw "$Name is not an account this computer can resolve: $($_.Exception.Message)"
    }
}

function Add-AbafixGroupMember {
    # The task's logon token carries the groups of its logon time: add them before it first starts.
    param([Parameter(Mandatory = $true)][string] $GroupSid, [Parameter(Mandatory = $true)][string] $Member)
    try {
        Add-LocalGroupMember -SID $GroupSid -Member $Member
    } catch {
        if ($_.FullyQualifiedErrorId -notlike 'MemberExists*') { throw }
    }
}

function Get-AbafixUserRights {
    # The effective user rights (local and domain policy merged) as right -> SIDs.
    param([Parameter(Mandatory = $true)][string] $Folder)
    $export = Join-Path $Folder 'user-rights.inf'
    & secedit.exe /export /mergedpolicy /areas USER_RIGHTS /cfg $export /quiet | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "secedit /export failed with exit code $LASTEXITCODE" }
    try {
        $lines = @(Get-Content -LiteralPath $export)
    } finally {
        Remove-Item -LiteralPath $export -Force
    }
    $rights = @{}
    foreach ($line in $lines) {
        if ($line -notmatch '^\s*(Se\w+)\s*=\s*(.*)$') { continue }
        $right = $Matches[1]
        $holders = @()
        foreach ($entry in ($Matches[2] -split ',')) {
            $holder = $entry.Trim()
            if ($holder -eq '') { continue }
            if ($holder.StartsWith('*')) {
                $holders += $holder.Substring(1)
            } else {
                # secedit writes a name where it has no SID string; resolve what can be resolved.
                try { $holders += (Resolve-AbafixSid $holder) } catch { $holders += $holder }
            }
        }
        $rights[$right] = $holders
    }
    return $rights
}

if ($PSCmdlet.ParameterSetName -eq 'Protect') {
    if (-not (Test-Path -LiteralPath $CredentialFile -PathType Leaf)) {
        throw "$CredentialFile does not exist: create it as $Account first (see Get-Help $PSCommandPath -Full)"
    }
    $accountSid = Resolve-AbafixSid $Account
    Invoke-Icacls @($CredentialFile, '/inheritance:r', '/grant:r', "*${accountSid}:(R)", "*${administrators}:(F)")
    Write-Host "$CredentialFile is now readable by $Account ($accountSid) only."
    Write-Host "Credential reference: clixml:$CredentialFile"
    return
}

if ($GroupManagedServiceAccount -and -not $Account.EndsWith('$')) {
    throw "a group managed service account's name ends in `$: $Account"
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
# The worker refuses a relative --powershell (a name looked up on PATH could be anything): resolve it.
if (-not [System.IO.Path]::IsPathRooted($PowerShellExe)) {
    $resolved = Get-Command $PowerShellExe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($null -eq $resolved) { throw "$PowerShellExe is not on PATH: give -PowerShellExe as an absolute path" }
    $PowerShellExe = $resolved.Path
}
if (-not (Test-Path -LiteralPath $PowerShellExe -PathType Leaf)) { throw "$PowerShellExe does not exist" }
if ($ModuleFolder -and -not (Test-Path -LiteralPath $ModuleFolder -PathType Container)) {
    throw "$ModuleFolder is not a folder: give the pre-staged ADSyncTools module folder"
}

# The proxy, as java.exe options. grpc-java asks Java's proxy settings too, so the Temporal frontend
# is listed as reached directly unless -TemporalThroughProxy says otherwise.
if ($Proxy -and $UseSystemProxy) { throw 'give -Proxy or -UseSystemProxy, not both' }
$viaProxy = $Proxy -or $UseSystemProxy
if (-not $viaProxy -and ($NoProxyFor -or $TemporalThroughProxy)) {
    throw '-NoProxyFor and -TemporalThroughProxy go with -Proxy or -UseSystemProxy'
}
$javaOptions = @()
if ($Proxy) {
    $colon = $Proxy.LastIndexOf(':')
    $javaOptions += "-Dhttps.proxyHost=$($Proxy.Substring(0, $colon))"
    $javaOptions += "-Dhttps.proxyPort=$($Proxy.Substring($colon + 1))"
}
if ($UseSystemProxy) { $javaOptions += '-Djava.net.useSystemProxies=true' }
$direct = @()
if ($viaProxy -and -not $TemporalThroughProxy) {
    $direct += $TemporalAddress.Substring(0, $TemporalAddress.LastIndexOf(':')).Trim('[', ']')
}
if ($NoProxyFor) { $direct += $NoProxyFor -split '\|' }
# Quoted: cmd.exe would read an unquoted | as a pipe.
if ($direct.Count -gt 0) { $javaOptions += "`"-Dhttp.nonProxyHosts=$($direct -join '|')`"" }
$javaCommand = (@("`"$JavaPath`"") + $javaOptions) -join ' '

# Everything is checked before anything changes.
$accountSid = Resolve-AbafixSid $Account
$adSyncAdmins = Get-LocalGroup -Name 'ADSyncAdmins' -ErrorAction SilentlyContinue
if ($null -eq $adSyncAdmins) { throw 'this computer has no ADSyncAdmins group: install Entra Connect Sync first' }
$adSyncAdminsSid = $adSyncAdmins.SID.Value
$credential = $null
if (-not $GroupManagedServiceAccount) {
    $credential = Get-Credential -UserName $Account -Message "Password of $Account, for Task Scheduler to log the abafix worker on"
    if ($null -eq $credential) { throw 'no password given' }
}

# The worker account creates the credential file and writes its log here; no other user may.
$dataDir = Join-Path $env:ProgramData 'abafix'
$logDir = Join-Path $dataDir 'logs'
New-Item -ItemType Directory -Force -Path $logDir | Out-Null
Invoke-Icacls @($dataDir, '/inheritance:r', '/grant:r', "*${system}:(OI)(CI)(F)", "*${administrators}:(OI)(CI)(F)", "*${accountSid}:(OI)(CI)(M)")

Add-AbafixGroupMember -GroupSid $administrators -Member $Account
Add-AbafixGroupMember -GroupSid $adSyncAdminsSid -Member $Account

# Task Scheduler refuses to start a task whose account may not log on as a batch job, long after
# the install has reported success: check it now, with the memberships above in place (Administrators
# holds the right by default). A refusal here leaves the memberships; nothing is registered.
$rights = Get-AbafixUserRights -Folder $dataDir
$holders = @($accountSid, $administrators, $adSyncAdminsSid, 'S-1-1-0', 'S-1-5-11')
$denied = @()
if ($rights.ContainsKey('SeDenyBatchLogonRight')) { $denied = @($rights['SeDenyBatchLogonRight'] | Where-Object { $holders -contains $_ }) }
if ($denied.Count -gt 0) {
    throw "$Account may not log on as a batch job: 'Deny log on as a batch job' (SeDenyBatchLogonRight) names $($denied -join ', '). Remove it from that policy, then run this again."
}
$granted = @()
if ($rights.ContainsKey('SeBatchLogonRight')) { $granted = @($rights['SeBatchLogonRight'] | Where-Object { $holders -contains $_ }) }
if ($granted.Count -eq 0 -and -not $SkipBatchLogonCheck) {
    throw "$Account has no 'Log on as a batch job' right (SeBatchLogonRight) through itself, Administrators or ADSyncAdmins. Grant it (Group Policy: Computer Configuration > Windows Settings > Security Settings > Local Policies > User Rights Assignment), or give -SkipBatchLogonCheck when a domain group grants it."
}

# What the worker may do, from this installer's parameters: the credential name remediations use,
# mapped to its file; the Gallery version; a pre-staged module folder with its files' SHA-256.
$policyFile = Join-Path $dataDir 'server-worker-policy.json'
$policy = [ordered]@{ credentials = [ordered]@{ 'hybrid-identity-admin' = $CredentialFile } }
if ($GalleryVersion -and $GalleryVersion -ne 'none') { $policy.galleryVersion = $GalleryVersion }
if ($ModuleFolder) {
    $root = (Resolve-Path -LiteralPath $ModuleFolder).ProviderPath.TrimEnd('\')
    $files = [ordered]@{}
    foreach ($file in Get-ChildItem -LiteralPath $root -Recurse -File) {
        $files[$file.FullName.Substring($root.Length + 1)] = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
    }
    $manifest = Get-ChildItem -LiteralPath $root -Filter '*.psd1' -File | Select-Object -First 1
    if ($null -eq $manifest) { throw "$root holds no module manifest (.psd1)" }
    $version = (Import-PowerShellDataFile -LiteralPath $manifest.FullName).ModuleVersion
    $policy.moduleFolders = [ordered]@{ $root = [ordered]@{ version = "$version"; files = $files } }
}
Set-Content -LiteralPath $policyFile -Value ($policy | ConvertTo-Json -Depth 5) -Encoding UTF8
# Administrators change it; the worker's account only reads it.
Invoke-Icacls @($policyFile, '/inheritance:r', '/grant:r', "*${system}:(F)", "*${administrators}:(F)", "*${accountSid}:(R)")

# The task runs this launcher; it lives beside the jar, where only administrators can change it.
$server = $env:COMPUTERNAME
$launcher = Join-Path $InstallDir 'abafix-server-worker.cmd'
$lines = @(
    '@echo off',
    'rem Written by Install-AbafixServerWorker.ps1: run that again to change it.',
    "set `"TEMPORAL_ADDRESS=$TemporalAddress`"",
    "set `"TEMPORAL_NAMESPACE=$TemporalNamespace`"",
    "set `"ABAFIX_APPROVER_TENANT_ID=$ApproverTenantId`"",
    "set `"ABAFIX_APPROVER_CLIENT_ID=$ApproverClientId`"",
    "set `"ABAFIX_APPROVER_ROLE=$ApproverRole`"",
    "set `"ABAFIX_TWO_PERSON=$(if ($TwoPerson) { 'true' } else { 'false' })`"",
    ':run',
    "$javaCommand -jar `"$jar`" server --name $server --tenant $Tenant --powershell `"$PowerShellExe`" --policy `"$policyFile`" >> `"$logDir\server-worker.log`" 2>&1",
    'rem Exit code 2: bad configuration, which a restart cannot fix.',
    'if %ERRORLEVEL% EQU 2 exit /b 2',
    'powershell.exe -NoProfile -NonInteractive -Command "Start-Sleep -Seconds 60"',
    'goto run'
)
Set-Content -LiteralPath $launcher -Value $lines -Encoding Ascii

# One definition for both kinds of account: starts at boot, runs without a time limit, one instance,
# restarted by Task Scheduler three times a minute apart if the launcher itself fails.
$userId = [System.Security.SecurityElement]::Escape($Account)
$command = [System.Security.SecurityElement]::Escape($launcher)
$workingDirectory = [System.Security.SecurityElement]::Escape($InstallDir)
$xml = @"
<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo><Description>abafix per-server worker (Install-AbafixServerWorker.ps1)</Description></RegistrationInfo>
  <Triggers><BootTrigger><Enabled>true</Enabled></BootTrigger></Triggers>
  <Principals>
    <Principal id="Author"><UserId>$userId</UserId><LogonType>Password</LogonType><RunLevel>HighestAvailable</RunLevel></Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>
    <RestartOnFailure><Interval>PT1M</Interval><Count>3</Count></RestartOnFailure>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author"><Exec><Command>$command</Command><WorkingDirectory>$workingDirectory</WorkingDirectory></Exec></Actions>
</Task>
"@

# A worker already running keeps the token of its old logon: stop it, so it starts with the groups above.
$existing = Get-ScheduledTask -TaskPath $taskPath -TaskName $taskName -ErrorAction SilentlyContinue
if ($null -ne $existing) { Stop-ScheduledTask -TaskPath $taskPath -TaskName $taskName }

if ($GroupManagedServiceAccount) {
    # Logon type Password with no password: Task Scheduler fetches the gMSA's from the domain.
    Register-ScheduledTask -TaskPath $taskPath -TaskName $taskName -Xml $xml -Force | Out-Null
} else {
    # Through the COM interface: a method call is not a command, so no module log records the password.
    $scheduler = New-Object -ComObject 'Schedule.Service'
    $scheduler.Connect()
    $root = $scheduler.GetFolder('\')
    $folder = $null
    try { $folder = $root.GetFolder('abafix') } catch { $folder = $root.CreateFolder('abafix') }
    $TASK_CREATE_OR_UPDATE = 6
    $TASK_LOGON_PASSWORD = 1
    $folder.RegisterTask($taskName, $xml, $TASK_CREATE_OR_UPDATE, $Account, $credential.GetNetworkCredential().Password, $TASK_LOGON_PASSWORD) | Out-Null
    $credential = $null
}
# The worker's whole configuration, checked the way the worker reads it, without Temporal. It runs
# as this administrator: a credential file locked to the worker's account reads as unreadable here.
$env:ABAFIX_APPROVER_TENANT_ID = $ApproverTenantId
$env:ABAFIX_APPROVER_CLIENT_ID = $ApproverClientId
$env:ABAFIX_APPROVER_ROLE = $ApproverRole
& $JavaPath @($javaOptions | ForEach-Object { $_.Trim('"') }) -jar $jar server --check --name $server --tenant $Tenant --powershell $PowerShellExe --policy $policyFile
if ($LASTEXITCODE -ne 0) {
    Write-Host 'abafix-worker server --check found what the lines above name: fix it; the task is registered and starts at boot (Start-ScheduledTask to start it now).'
} else {
    Start-ScheduledTask -TaskPath $taskPath -TaskName $taskName
}

Write-Host "Registered $taskPath$taskName`: polls abafix-server-$($server.ToLowerInvariant()) on $TemporalAddress/$TemporalNamespace as $Account ($accountSid),"
Write-Host "a member of Administrators and ADSyncAdmins."
Write-Host "Log: $logDir\server-worker.log"
if (-not $GroupManagedServiceAccount) {
    Write-Host "Next, unless done: create the credential file as $Account and lock it with -ProtectCredentialFile"
    Write-Host "(Get-Help $PSCommandPath -Full)."
}
