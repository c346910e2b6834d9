# Replaces this server's SyncMachineIdentifier (servers cloned after install share one).
# Input : {"server":"SERVERA","machineId":"<32 hex characters>"}
# Result: {"reads":[machineIdentifier, service]}  (both read back after the change)
#
# Idempotent at every point, because a killed process skips finally blocks: a run killed between
# Stop-Service and Start-Service leaves ADSync stopped, with the old or the new value. So the script
# looks first: the registry already at the target means only the service may be left to start;
# otherwise it stops ADSync (unless stopped), writes the value and starts ADSync.
# Whether a sync cycle runs is checked by the adapter's activity right before this runs.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'machineId') -Body {
    param($in)
    $newId = Get-AbafixInputString $in 'machineId' '^[0-9A-Fa-f]{32}\z'

    $current = Get-AbafixMachineIdentifier
    if ($current -ne $newId) {
        $service = Get-Service -Name ADSync -ErrorAction Stop
        if ($service.Status -ne 'Stopped') {
            Stop-Service -Name ADSync -ErrorAction Stop
        }
        try {
            Set-ItemProperty -LiteralPath $script:AbafixRegistryPath -Name 'SyncMachineIdentifier' -Value $newId -ErrorAction Stop
        } finally {
            # The service must come back even when the change failed (unless the process is killed:
            # then the next attempt finishes the job).
            Start-Service -Name ADSync -ErrorAction Stop
        }
    }
    $service = Get-Service -Name ADSync -ErrorAction Stop
    if ($service.Status -ne 'Running') {
        Start-Service -Name ADSync -ErrorAction Stop
    }

    $reads = New-Object System.Collections.ArrayList
    [void]$reads.Add((Invoke-AbafixRead 'machineIdentifier' 'Get-ItemProperty' { Get-ItemProperty -LiteralPath $script:AbafixRegistryPath -Name SyncMachineIdentifier -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'service' 'Get-Service' { Get-Service -Name ADSync -ErrorAction Stop }))
    @{ reads = $reads.ToArray() }
}
