# Pauses or resumes the sync scheduler. Pausing does not stop a cycle that is already running.
# Input : {"server":"SERVERA","enabled":false}
# Result: {"syncCycleEnabled":false}  (read back after the change)
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'enabled') -Body {
    param($in)
    $enabled = Get-AbafixInputBoolean $in 'enabled'
    Import-Module ADSync
    Set-ADSyncScheduler -SyncCycleEnabled $enabled | Out-Null
    $after = [bool](Get-ADSyncScheduler).SyncCycleEnabled
    if ($after -ne $enabled) {
        throw (New-AbafixError 'Transient' 'NotApplied' ('the scheduler still reports SyncCycleEnabled=' + $after))
    }
    @{ syncCycleEnabled = $after }
}
