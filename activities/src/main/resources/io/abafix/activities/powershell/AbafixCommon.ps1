# Shared by every abafix script; dot-sourced, never run on its own.
#
# The contract with the Java adapter (PowerShellSyncServerHost), format 1:
#   stdin  : one JSON object, ASCII only (the adapter escapes anything else).
#   stdout : the answer is the one line that starts with the sentinel 'ABAFIX-ANSWER/1 ', then
#            {"ok":true,"result":{...}} or
#            {"ok":false,"error":{"category":"...","code":"...","message":"...","type":"...","errorId":"...",
#                                 "errorCategory":"...","inner":["<type>: <message>", ...]}}
#            Every other line is noise (a module banner, a stray Write-Host) and is ignored.
#   stderr : UTF-8 text, kept for the audit.
#   exit   : 0 with ok true, 1 with ok false.
# category is Permanent, Transient or CredentialUnavailable for failures a script names itself,
# and Unclassified for anything else: the adapter sorts those from type, errorId and message.
#
# Scripts decide nothing about what a server's state means. A read returns what the cmdlets
# returned, converted by ConvertTo-AbafixRaw: every object as its type names and all of its
# properties (name, declared type, value), nested objects to a fixed depth. The adapter interprets
# those shapes against recorded fixtures and fails loudly on a shape it does not know.
#
# Every call into a module passes -ErrorAction Stop: functions of script modules (ADSyncTools,
# PowerShellGet) do not inherit this script's $ErrorActionPreference.
# Nothing is ever passed on the command line, so input is data and is never parsed as code.
# Windows PowerShell 5.1 compatible: no ?? ?. ternary && || and no -AsHashtable.

$script:AbafixAnswerPrefix = 'ABAFIX-ANSWER/1 '

# AppLocker or WDAC runs unsigned scripts in ConstrainedLanguage mode, where New-Object and most
# .NET calls fail. Say so first, with what is still allowed there, and stop.
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    $locked = @{
        ok    = $false
        error = @{
            category = 'Permanent'
            code     = 'ConstrainedLanguage'
            message  = ('PowerShell runs the abafix scripts in ' + $ExecutionContext.SessionState.LanguageMode + ' mode (AppLocker or WDAC): sign the scripts with a certificate the policy trusts, or allow the abafix scripts folder in the policy')
        }
    }
    Write-Output ($script:AbafixAnswerPrefix + (ConvertTo-Json -InputObject $locked -Depth 4 -Compress))
    exit 1
}

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
# Progress, warning and information records are written to stdout when it is redirected.
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
# stderr reaches the audit: write it in UTF-8 whatever the console code page is.
try {
    [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false
} catch {
    # A host without a console keeps its encoding; the answer itself is ASCII either way.
}

# The well-known identifier of the Microsoft Entra (Azure AD) connector in Entra Connect.
$script:AbafixEntraConnectorId = 'b891884f-051e-4a83-95af-2544101c9083'
$script:AbafixRegistryPath = 'HKLM:\SOFTWARE\Microsoft\Azure AD Connect'
# How deep ConvertTo-AbafixRaw follows nested objects; deeper ones are reported as text.
$script:AbafixRawDepth = 3

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
    $json = ConvertTo-Json -InputObject $Answer -Depth 40 -Compress
    # stdout is encoded in the console's code page, which cannot carry every character (event
    # messages are localised): escape everything outside ASCII, which is still the same JSON.
    $json = [regex]::Replace($json, '[^\x00-\x7F]', { param($m) '\u{0:x4}' -f [int][char]$m.Value })
    # Writing to the console stream directly keeps PowerShell's formatter (and its line width) out
    # of the answer; the sentinel sets it apart from anything else on stdout.
    [Console]::Out.WriteLine($script:AbafixAnswerPrefix + $json)
    [Console]::Out.Flush()
}

function ConvertTo-AbafixRaw {
    # Turns what a cmdlet returned into plain data without choosing anything: scalars as they are,
    # collections as lists, every other object as its type names and all of its properties.
    # Secure strings and credentials are never written out.
    param($Value, [int] $Depth = $script:AbafixRawDepth)
    if ($null -eq $Value) { return $null }
    if ($Value -is [string] -or $Value -is [char]) { return [string]$Value }
    if ($Value -is [bool]) { return $Value }
    if ($Value -is [byte] -or $Value -is [sbyte] -or $Value -is [int16] -or $Value -is [uint16] -or $Value -is [int] -or $Value -is [uint32] -or $Value -is [long]) { return [long]$Value }
    if ($Value -is [uint64] -or $Value -is [decimal]) { return [string]$Value }
    if ($Value -is [double] -or $Value -is [single]) { return [double]$Value }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('o') }
    if ($Value -is [datetimeoffset]) { return $Value.UtcDateTime.ToString('o') }
    if ($Value -is [enum] -or $Value -is [guid] -or $Value -is [version] -or $Value -is [timespan] -or $Value -is [uri]) { return $Value.ToString() }
    if ($Value -is [System.Security.SecureString] -or $Value -is [System.Management.Automation.PSCredential]) { return '(redacted)' }
    if ($Value -is [scriptblock]) { return '(script block)' }
    $types = @($Value.PSObject.TypeNames)
    if ($Depth -le 0) {
        return @{ types = $types; text = [string]$Value }
    }
    if ($Value -is [System.Collections.IDictionary]) {
        $entries = New-Object System.Collections.ArrayList
        foreach ($key in @($Value.Keys)) {
            $entry = [ordered]@{ name = [string]$key; type = 'System.Object' }
            $entry.value = ConvertTo-AbafixRaw $Value[$key] ($Depth - 1)
            [void]$entries.Add($entry)
        }
        return @{ types = $types; properties = $entries.ToArray() }
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = New-Object System.Collections.ArrayList
        foreach ($item in $Value) { [void]$items.Add((ConvertTo-AbafixRaw $item $Depth)) }
        return , $items.ToArray()
    }
    $properties = New-Object System.Collections.ArrayList
    foreach ($p in $Value.PSObject.Properties) {
        $entry = [ordered]@{ name = [string]$p.Name; type = [string]$p.TypeNameOfValue }
        try {
            $entry.value = ConvertTo-AbafixRaw $p.Value ($Depth - 1)
        } catch {
            # A property whose getter throws is still a fact about the object.
            $entry.error = [string]$_.Exception.Message
        }
        [void]$properties.Add($entry)
    }
    return @{ types = $types; properties = $properties.ToArray() }
}

function Get-AbafixProperty {
    # A property of an object a cmdlet returned, or $null when this build does not have it: under
    # Set-StrictMode, reading a missing property with a dot throws.
    param($Object, [string] $Name)
    if ($null -eq $Object) { return $null }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function Test-AbafixSecretParameter {
    # Whether a connector parameter holds a secret: by its name, its DataType or its value's type.
    param($Parameter)
    $name = [string](Get-AbafixProperty $Parameter 'Name')
    $dataType = [string](Get-AbafixProperty $Parameter 'DataType')
    $value = Get-AbafixProperty $Parameter 'Value'
    return ($name -like '*password*' -or $name -like '*secret*' -or $dataType -like '*encrypted*' -or $dataType -like '*secure*' -or $value -is [System.Security.SecureString])
}

function ConvertTo-AbafixErrorFacts {
    # What a failure looked like, for the adapter to sort: exception type, error id, PowerShell's
    # category, the message, and every message of the InnerException chain (a cmdlet may wrap an
    # MFA refusal in "Retrying this operation may help").
    param([Parameter(Mandatory = $true)] $ErrorRecord)
    $inner = New-Object System.Collections.ArrayList
    $cause = $ErrorRecord.Exception.InnerException
    while ($null -ne $cause -and $inner.Count -lt 10) {
        [void]$inner.Add(('{0}: {1}' -f $cause.GetType().FullName, $cause.Message))
        $cause = $cause.InnerException
    }
    return @{
        type          = [string]$ErrorRecord.Exception.GetType().FullName
        errorId       = [string]$ErrorRecord.FullyQualifiedErrorId
        errorCategory = [string]$ErrorRecord.CategoryInfo.Category
        message       = [string]$ErrorRecord.Exception.Message
        inner         = $inner.ToArray()
    }
}

function Invoke-AbafixRead {
    # Runs one read and records what it returned, or how it failed: a failed read (ADSync stopped,
    # a cmdlet this build lacks) is a fact the adapter interprets, not a reason to stop inspecting.
    param(
        [Parameter(Mandatory = $true)][string] $Name,
        [Parameter(Mandatory = $true)][string] $Command,
        [Parameter(Mandatory = $true)][scriptblock] $Read
    )
    try {
        $output = @(& $Read)
        $items = New-Object System.Collections.ArrayList
        foreach ($o in $output) { [void]$items.Add((ConvertTo-AbafixRaw $o)) }
        return @{ name = $Name; command = $Command; output = $items.ToArray() }
    } catch {
        return @{ name = $Name; command = $Command; error = (ConvertTo-AbafixErrorFacts $_) }
    }
}

function Invoke-AbafixCall {
    # Runs one changing cmdlet and records what it returned. Unlike a read, a failure ends the
    # script: the adapter gets it as the script's error.
    param(
        [Parameter(Mandatory = $true)][string] $Command,
        [Parameter(Mandatory = $true)][scriptblock] $Call,
        [string] $Name = 'call'
    )
    $output = @(& $Call)
    $items = New-Object System.Collections.ArrayList
    foreach ($o in $output) { [void]$items.Add((ConvertTo-AbafixRaw $o)) }
    return @{ name = $Name; command = $Command; output = $items.ToArray() }
}

function Get-AbafixHostFacts {
    # Where the script runs: a 32-bit PowerShell sees a redirected HKLM\SOFTWARE.
    return New-Object PSObject -Property ([ordered]@{
        ComputerName   = [string]$env:COMPUTERNAME
        Is64BitProcess = [Environment]::Is64BitProcess
        LanguageMode   = [string]$ExecutionContext.SessionState.LanguageMode
        PSVersion      = [string]$PSVersionTable.PSVersion
    })
}

function Find-AbafixErrorData {
    # The category and code a script gave its own failure, anywhere along the exception chain
    # (PowerShell can wrap an exception on its way up); null for a failure no script named.
    param([Parameter(Mandatory = $true)] $ErrorRecord)
    $inner = $ErrorRecord.Exception
    while ($null -ne $inner) {
        if ($inner.Data.Contains('AbafixCategory')) {
            return @{ category = [string]$inner.Data['AbafixCategory']; code = [string]$inner.Data['AbafixCode'] }
        }
        $inner = $inner.InnerException
    }
    return $null
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
    # Runs one script body and turns its outcome into the one answer on stdout. Only one changing
    # abafix script runs at a time on a server: when a worker dies mid-step its script runs on, and
    # the retry from the restarted worker must wait for it, then inspect, rather than act a second
    # time. Reads (-ReadOnly) take no lock, so an inspection answers while a long step runs.
    param(
        [Parameter(Mandatory = $true)][string[]] $Required,
        [string[]] $Optional = @(),
        [switch] $ReadOnly,
        [Parameter(Mandatory = $true)][scriptblock] $Body
    )
    $answer = $null
    $code = 1
    $mutex = $null
    $held = $false
    try {
        if (-not $ReadOnly) {
            $mutex = New-Object System.Threading.Mutex($false, 'Global\abafix-server-step')
            try {
                $held = $mutex.WaitOne([TimeSpan]::FromSeconds(45))
            } catch [System.Threading.AbandonedMutexException] {
                # The previous holder died without releasing it: the mutex is ours now.
                $held = $true
            }
            if (-not $held) {
                throw (New-AbafixError 'Transient' 'Busy' 'another abafix step is still running on this server')
            }
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
        $named = Find-AbafixErrorData $_
        $facts = ConvertTo-AbafixErrorFacts $_
        if ($null -ne $named) {
            $answer = @{ ok = $false; error = @{ category = $named.category; code = $named.code; message = $facts.message; type = $facts.type; errorId = $facts.errorId; errorCategory = $facts.errorCategory; inner = $facts.inner } }
        } else {
            $answer = @{ ok = $false; error = @{ category = 'Unclassified'; code = 'Unhandled'; message = $facts.message; type = $facts.type; errorId = $facts.errorId; errorCategory = $facts.errorCategory; inner = $facts.inner } }
        }
        $code = 1
    } finally {
        if ($held) { $mutex.ReleaseMutex() }
        if ($null -ne $mutex) { $mutex.Dispose() }
    }
    Write-AbafixAnswer $answer
    exit $code
}

function Get-AbafixMachineIdentifier {
    # The registry value as text, for the checks a changing script makes right before it acts.
    $item = Get-ItemProperty -LiteralPath $script:AbafixRegistryPath -Name 'SyncMachineIdentifier' -ErrorAction Stop
    return [string]$item.SyncMachineIdentifier
}


function Read-AbafixAdSyncToolsModules {
    return Invoke-AbafixRead 'adSyncToolsModules' 'Get-Module' { Get-Module -ListAvailable -Name ADSyncTools -ErrorAction Stop | Select-Object -Property @('Name', 'Version', 'ModuleBase') }
}

# The Hybrid Identity Administrator credential a reference names: a CliXml file Export-Clixml wrote
# (DPAPI: readable only by the account and machine that wrote it). Refused with a reason when the
# reference is not a local absolute clixml: path, the file is missing, or it does not decrypt here.
function Resolve-AbafixCredential {
    param([string] $Reference)
    $prefix = 'clixml:'
    if (-not $Reference.StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) {
        throw (New-AbafixError 'CredentialUnavailable' 'UnsupportedReference' 'the credential reference must have the form clixml:<local path>')
    }
    $path = $Reference.Substring($prefix.Length)
    # A UNC path would make the worker authenticate to another machine to fetch it. The .NET path
    # checks throw on characters no path may hold: such a reference is unusable, not a glitch.
    $usable = $false
    $exists = $false
    try {
        $usable = (-not $path.StartsWith('\\')) -and (-not $path.StartsWith('//')) -and [System.IO.Path]::IsPathRooted($path)
        if ($usable) { $exists = Test-Path -LiteralPath $path -PathType Leaf }
    } catch {
        $usable = $false
    }
    if (-not $usable) {
        throw (New-AbafixError 'CredentialUnavailable' 'UnsupportedReference' 'the credential file must be an absolute local path')
    }
    if (-not $exists) {
        throw (New-AbafixError 'CredentialUnavailable' 'CredentialFileMissing' 'the credential file named by the reference does not exist on this server')
    }
    try {
        $credential = Import-Clixml -LiteralPath $path -ErrorAction Stop
    } catch {
        # Usually DPAPI: the file was exported by another account or on another machine.
        throw (New-AbafixError 'CredentialUnavailable' 'CredentialUnreadable' 'the credential file cannot be read by this account on this server; export it again with Get-Credential | Export-Clixml as the worker account')
    }
    if (-not ($credential -is [System.Management.Automation.PSCredential])) {
        throw (New-AbafixError 'CredentialUnavailable' 'NotACredential' 'the credential file does not hold a PSCredential')
    }
    return $credential
}
