# Pauses or resumes the sync scheduler. Pausing does not stop a cycle that is already running.
# Input : {"server":"SERVERA","enabled":false}
# Result: {"reads":[call, scheduler]}  (Set-ADSyncScheduler's output, then the scheduler read back)
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'enabled') -Body {
    param($in)
    $enabled = Get-AbafixInputBoolean $in 'enabled'
    Import-Module -Name ADSync -ErrorAction Stop
    $call = Invoke-AbafixCall 'Set-ADSyncScheduler' { Set-ADSyncScheduler -SyncCycleEnabled $enabled -ErrorAction Stop }
    $scheduler = Invoke-AbafixRead 'scheduler' 'Get-ADSyncScheduler' { Get-ADSyncScheduler -ErrorAction Stop }
    @{ reads = @($call, $scheduler) }
}
