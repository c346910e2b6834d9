# Shared by every abafix script; dot-sourced, never run on its own.
#
# The contract with the Java adapter (PowerShellSyncServerHost):
#   stdin  : one JSON object, ASCII only (the adapter escapes anything else).
#   stdout : one JSON object on the last line,
#            {"ok":true,"result":{...}} or
#            {"ok":false,"error":{"category":"...","code":"...","message":"..."}}
#            where category is Transient, Permanent, CertificateNotRegistered or CredentialUnavailable.
#   exit   : 0 with ok true, 1 with ok false.
# Nothing is ever passed on the command line, so input is data and is never parsed as code.
# Windows PowerShell 5.1 compatible: no ?? ?. ternary && || and no -AsHashtable.

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
# Progress, warning and information records are written to stdout when it is redirected; they
# would push the answer off the last line or break it.
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'

# The well-known identifier of the Microsoft Entra (Azure AD) connector in Entra Connect.
$script:AbafixEntraConnectorId = 'b891884f-051e-4a83-95af-2544101c9083'
$script:AbafixRegistryPath = 'HKLM:\SOFTWARE\Microsoft\Azure AD Connect'

function New-AbafixError {
    # Builds an exception that carries its category and code to the top-level catch.
    param(
        [Parameter(Mandatory = $true)][string] $Category,
        [Parameter(Mandatory = $true)][string] $Code,
        [Parameter(Mandatory = $true)][string] $Message
    )
    $ex = New-Object System.InvalidOperationException $Message
    $ex.Data['AbafixCategory'] = $Category
    $ex.Data['AbafixCode'] = $Code
    return $ex
}

function Write-AbafixAnswer {
    param([Parameter(Mandatory = $true)] $Answer)
    $json = ConvertTo-Json -InputObject $Answer -Depth 6 -Compress
    # stdout is encoded in the console's code page, which cannot carry every character (event
    # messages are localised): escape everything outside ASCII, which is still the same JSON.
    $json = [regex]::Replace($json, '[^\x00-\x7F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
    # Writing to the console stream directly keeps PowerShell's formatter (and its line width) out
    # of the answer.
    [Console]::Out.WriteLine($json)
    [Console]::Out.Flush()
}

function Get-AbafixErrorCategory {
    # Sorts an unexpected failure. Retrying can help with anything not known to be permanent, and
    # the Java side caps the retries.
    param([Parameter(Mandatory = $true)] $ErrorRecord)
    $ex = $ErrorRecord.Exception
    $text = [string]$ex.Message
    # PowerShell can wrap an exception on its way up (a method call, a nested pipeline): look for
    # the category along the whole chain.
    $inner = $ex
    while ($null -ne $inner) {
        if ($inner.Data.Contains('AbafixCategory')) {
            return @{ category = [string]$inner.Data['AbafixCategory']; code = [string]$inner.Data['AbafixCode'] }
        }
        $inner = $inner.InnerException
    }
    if ($text -match 'AADSTS700027') {
        return @{ category = 'CertificateNotRegistered'; code = 'AADSTS700027' }
    }
    if ($ex -is [System.Management.Automation.CommandNotFoundException]) {
        return @{ category = 'Permanent'; code = 'PrerequisiteMissing' }
    }
    if ($text -match '(?i)interactive|user interaction|prompt') {
        return @{ category = 'Permanent'; code = 'InteractiveSignInRequired' }
    }
    if ($text -match '(?i)AADSTS50126|AADSTS50034|AADSTS50053|AADSTS50057') {
        # Wrong password, unknown, locked or disabled account: the credential must be fixed first.
        return @{ category = 'Permanent'; code = 'CredentialRejected' }
    }
    return @{ category = 'Transient'; code = 'Unexpected' }
}

function Read-AbafixInput {
    # Reads the one JSON object on stdin and insists on exactly the expected fields, so that a
    # mismatch between the adapter and the script shows at once instead of as a wrong action.
    param(
        [Parameter(Mandatory = $true)][string[]] $Required,
        [string[]] $Optional = @()
    )
    $text = [Console]::In.ReadToEnd()
    try {
        $in = ConvertFrom-Json -InputObject $text
    } catch {
        throw (New-AbafixError 'Permanent' 'InvalidInput' 'stdin is not one JSON object')
    }
    if ($null -eq $in -or -not ($in -is [System.Management.Automation.PSCustomObject])) {
        throw (New-AbafixError 'Permanent' 'InvalidInput' 'stdin is not one JSON object')
    }
    $names = @($in.PSObject.Properties | ForEach-Object { $_.Name })
    foreach ($name in $names) {
        if (($Required -notcontains $name) -and ($Optional -notcontains $name)) {
            throw (New-AbafixError 'Permanent' 'InvalidInput' ('unknown input field: ' + $name))
        }
    }
    foreach ($name in $Required) {
        if ($names -notcontains $name) {
            throw (New-AbafixError 'Permanent' 'InvalidInput' ('missing input field: ' + $name))
        }
    }
    # A worker deployed on the wrong machine must not act there.
    if (-not ($in.server -is [string]) -or ($in.server -ne $env:COMPUTERNAME)) {
        throw (New-AbafixError 'Permanent' 'WrongServer' ('this script runs on ' + $env:COMPUTERNAME + ', not on the server named in the input'))
    }
    return $in
}

function Get-AbafixInputString {
    param([Parameter(Mandatory = $true)] $In, [Parameter(Mandatory = $true)][string] $Name, [string] $Pattern = '')
    $value = $In.$Name
    if (-not ($value -is [string]) -or $value.Length -eq 0) {
        throw (New-AbafixError 'Permanent' 'InvalidInput' ($Name + ' must be a non-empty string'))
    }
    # Patterns end in \z, not $: $ also matches before a trailing newline.
    if ($Pattern -ne '' -and $value -notmatch $Pattern) {
        throw (New-AbafixError 'Permanent' 'InvalidInput' ($Name + ' has an invalid format'))
    }
    return $value
}

function Get-AbafixInputBoolean {
    param([Parameter(Mandatory = $true)] $In, [Parameter(Mandatory = $true)][string] $Name)
    $value = $In.$Name
    if (-not ($value -is [bool])) {
        throw (New-AbafixError 'Permanent' 'InvalidInput' ($Name + ' must be true or false'))
    }
    return $value
}

function Get-AbafixInputInteger {
    param([Parameter(Mandatory = $true)] $In, [Parameter(Mandatory = $true)][string] $Name, [long] $Minimum, [long] $Maximum)
    $value = $In.$Name
    if (-not ($value -is [int] -or $value -is [long])) {
        throw (New-AbafixError 'Permanent' 'InvalidInput' ($Name + ' must be an integer'))
    }
    $number = [long]$value
    if ($number -lt $Minimum -or $number -gt $Maximum) {
        throw (New-AbafixError 'Permanent' 'InvalidInput' ($Name + ' is out of range'))
    }
    return $number
}

function Invoke-AbafixMain {
    # Runs one script body and turns its outcome into the one answer on stdout. Only one abafix
    # script runs at a time on a server: when a worker dies mid-step its script runs on, and the
    # retry from the restarted worker must wait for it, then inspect, rather than act a second time.
    param(
        [Parameter(Mandatory = $true)][string[]] $Required,
        [string[]] $Optional = @(),
        [Parameter(Mandatory = $true)][scriptblock] $Body
    )
    $answer = $null
    $code = 1
    $mutex = New-Object System.Threading.Mutex($false, 'Global\abafix-server-step')
    $held = $false
    try {
        try {
            $held = $mutex.WaitOne([TimeSpan]::FromSeconds(45))
        } catch [System.Threading.AbandonedMutexException] {
            # The previous holder died without releasing it: the mutex is ours now.
            $held = $true
        }
        if (-not $held) {
            throw (New-AbafixError 'Transient' 'Busy' 'another abafix step is still running on this server')
        }
        $in = Read-AbafixInput -Required $Required -Optional $Optional
        # A cmdlet whose output a body forgot to discard would otherwise turn the result into an
        # array: the body's own result is the last hashtable it emits.
        $output = @(& $Body $in)
        if ($output.Count -eq 0 -or -not ($output[$output.Count - 1] -is [hashtable])) {
            throw (New-AbafixError 'Permanent' 'ScriptDefect' 'the script produced no result')
        }
        $answer = @{ ok = $true; result = $output[$output.Count - 1] }
        $code = 0
    } catch {
        $sorted = Get-AbafixErrorCategory $_
        $answer = @{
            ok    = $false
            error = @{ category = $sorted.category; code = $sorted.code; message = [string]$_.Exception.Message }
        }
        $code = 1
    } finally {
        if ($held) { $mutex.ReleaseMutex() }
        $mutex.Dispose()
    }
    Write-AbafixAnswer $answer
    exit $code
}

function Get-AbafixMachineIdentifier {
    $value = (Get-ItemProperty -LiteralPath $script:AbafixRegistryPath -Name 'SyncMachineIdentifier').SyncMachineIdentifier
    return [string]$value
}

function Get-AbafixSchedulerFacts {
    # SyncCycleInProgress exists only on newer builds; older ones answer through the run status.
    $scheduler = Get-ADSyncScheduler
    $inProgress = $false
    if ($scheduler.PSObject.Properties['SyncCycleInProgress']) {
        $inProgress = [bool]$scheduler.SyncCycleInProgress
    } else {
        $running = @(Get-ADSyncConnectorRunStatus)
        $inProgress = $running.Count -gt 0
    }
    return @{
        syncCycleEnabled    = [bool]$scheduler.SyncCycleEnabled
        syncCycleInProgress = $inProgress
        stagingMode         = [bool]$scheduler.StagingModeEnabled
    }
}

function Get-AbafixPropertyValue {
    # Reads one named property, or null when the object lacks it or it is blank. One name only:
    # trying several names until one answers turns a wrong guess into a silent null.
    param($Object, [string] $Name)
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -ne $property -and $null -ne $property.Value -and [string]$property.Value -ne '') {
        return [string]$property.Value
    }
    return $null
}

function Get-AbafixConnectorIdentity {
    # Get-ADSyncEntraConnectorCredential's full property list is not documented: parse defensively
    # and report Unknown rather than guess.
    # Builds before ABA (older than 2.5) lack the cmdlet: they can only use a service account, but
    # say Unknown rather than guess, and let the inspection go on to report the version.
    if ($null -eq (Get-Command -Name Get-ADSyncEntraConnectorCredential -ErrorAction SilentlyContinue)) {
        return @{ identityType = 'Unknown'; serviceAccountName = $null; applicationId = $null; certificateThumbprint = $null }
    }
    $credential = Get-ADSyncEntraConnectorCredential
    $type = Get-AbafixPropertyValue $credential 'ConnectorIdentityType'
    $identityType = 'Unknown'
    if ($type -eq 'ServiceAccount') { $identityType = 'ServiceAccount' }
    if ($type -eq 'Application') { $identityType = 'Application' }
    return @{
        identityType          = $identityType
        serviceAccountName    = Get-AbafixPropertyValue $credential 'ServiceAccountName'
        applicationId         = Get-AbafixPropertyValue $credential 'ApplicationId'
        certificateThumbprint = Get-AbafixPropertyValue $credential 'CertificateThumbprint'
    }
}

function Get-AbafixConnectorParameter {
    param($Connector, [string] $Name)
    if ($null -eq $Connector) { return $null }
    $parameter = $Connector.ConnectivityParameters | Where-Object { $_.Name -eq $Name } | Select-Object -First 1
    if ($null -eq $parameter -or $null -eq $parameter.Value -or [string]$parameter.Value -eq '') { return $null }
    return [string]$parameter.Value
}

function Get-AbafixAbaParameters {
    $connector = Get-ADSyncConnector -Identifier $script:AbafixEntraConnectorId
    return @{
        applicationManagedBy = Get-AbafixConnectorParameter $connector 'ApplicationManagedBy'
        certificateManagedBy = Get-AbafixConnectorParameter $connector 'CertificateManagedBy'
        certificateId        = Get-AbafixConnectorParameter $connector 'CertificateId'
    }
}

function Get-AbafixAdSyncToolsVersion {
    # The newest installed ADSyncTools module, or null; the repair needs 2.3.0 or later.
    $module = Get-Module -ListAvailable -Name ADSyncTools | Sort-Object -Property Version -Descending | Select-Object -First 1
    if ($null -eq $module) { return $null }
    return $module.Version.ToString()
}
