# Reverts the Entra connector to a service account (legacy authentication).
# Input : {"server":"SERVERA","accountName":"Sync_SERVERA_0123456789ab",
#          "credentialReference":"clixml:C:\\ProgramData\\abafix\\hia.xml"}
# Result: {"reads":[call]}  (what Add-ADSyncAADServiceAccount returned; the adapter inspects after)
#
# The Hybrid Identity Administrator credential is resolved here, on the server, from a file that
# Export-Clixml wrote (DPAPI: readable only by the account and machine that wrote it; see
# Resolve-AbafixCredential in AbafixCommon.ps1). Only its reference travels in the input; the
# password is never in the input, the output or any log, and never a parameter of anything but the
# ADSync cmdlet (module logging records parameter bindings).
#
# The account name is recomputed here, on the server, as Add-ADSyncAADServiceAccount's
# documentation names it (Sync_<COMPUTERNAME>_<first 12 of SyncMachineIdentifier>): a name the
# workflow computed from an older inspection (before a machine id regeneration, say) is refused.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

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
    $call = Invoke-AbafixCall 'Add-ADSyncAADServiceAccount' { Add-ADSyncAADServiceAccount -AADCredential $credential -Name $accountName -Confirm:$false -ErrorAction Stop }
    @{ reads = @($call) }
}
