# Replaces this server's SyncMachineIdentifier (servers cloned after install share one).
# Input : {"server":"SERVERA","machineId":"<32 hex characters>"}
# Result: {"previousMachineId":"...","machineId":"...","adSyncRunning":true}
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'machineId') -Body {
    param($in)
    $newId = Get-AbafixInputString $in 'machineId' '^[0-9A-Fa-f]{32}\z'
    Import-Module ADSync

    # Stopping the service under a running cycle would abort it half way: wait for it instead.
    $scheduler = Get-AbafixSchedulerFacts
    if ($scheduler.syncCycleInProgress) {
        throw (New-AbafixError 'Transient' 'SyncCycleInProgress' 'a sync cycle is running; try again when it has finished')
    }

    $previous = Get-AbafixMachineIdentifier
    Stop-Service -Name ADSync
    try {
        Set-ItemProperty -LiteralPath $script:AbafixRegistryPath -Name 'SyncMachineIdentifier' -Value $newId
    } finally {
        # The service must come back even when the change failed.
        Start-Service -Name ADSync
    }

    $after = Get-AbafixMachineIdentifier
    if ($after -ne $newId) {
        throw (New-AbafixError 'Permanent' 'VerifyFailed' 'the registry does not hold the new machine identifier after the change')
    }
    $running = ((Get-Service -Name ADSync).Status -eq 'Running')
    @{ previousMachineId = $previous; machineId = $after; adSyncRunning = $running }
}
