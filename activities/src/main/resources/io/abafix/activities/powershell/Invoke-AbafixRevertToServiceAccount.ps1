# Reverts the Entra connector to a service account (legacy authentication).
# Input : {"server":"SERVERA","accountName":"Sync_SERVERA_0123456789ab",
#          "credentialReference":"clixml:C:\\ProgramData\\abafix\\hia.xml"}
# Result: {"reads":[call]}  (what Add-ADSyncAADServiceAccount returned; the adapter inspects after)
#
# The Hybrid Identity Administrator credential is resolved here, on the server, from a file that
# Export-Clixml wrote (DPAPI: readable only by the account and machine that wrote it). Only its
# reference travels in the input; the password is never in the input, the output or any log, and
# never a parameter of anything but the ADSync cmdlet (module logging records parameter bindings).
#
# The account name is recomputed here, on the server, as Add-ADSyncAADServiceAccount's
# documentation names it (Sync_<COMPUTERNAME>_<first 12 of SyncMachineIdentifier>): a name the
# workflow computed from an older inspection (before a machine id regeneration, say) is refused.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

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

Invoke-AbafixMain -Required @('server', 'accountName', 'credentialReference') -Body {
    param($in)
    $accountName = Get-AbafixInputString $in 'accountName' '^Sync_[A-Za-z0-9-]{1,15}_[0-9A-Fa-f]{12}\z'
    $reference = Get-AbafixInputString $in 'credentialReference'
    $credential = Resolve-AbafixCredential $reference

    $machineId = Get-AbafixMachineIdentifier
    $expected = 'Sync_' + $env:COMPUTERNAME + '_' + $machineId.Substring(0, [Math]::Min(12, $machineId.Length))
    if ($accountName -ne $expected) {
        throw (New-AbafixError 'Permanent' 'AccountNameMismatch' ('this server names its service account ' + $expected + ', not ' + $accountName + ': inspect the server again and plan anew'))
    }

    Import-Module -Name ADSync -ErrorAction Stop
    $call = Invoke-AbafixCall 'Add-ADSyncAADServiceAccount' { Add-ADSyncAADServiceAccount -AADCredential $credential -Name $accountName -ErrorAction Stop }
    @{ reads = @($call) }
}
