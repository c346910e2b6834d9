# Proves whether the Entra connector signs in, by a real connection of the connector: a Delta
# Import run profile on the Entra connector connects to Microsoft Entra ID with the connector's
# own identity (service account or application), which is the documented behaviour of a run.
# An import changes nothing in Entra ID. It holds the step lock: a run must not overlap a step
# that stops ADSync.
# Input : {"server":"SERVERA"}
# Result: {"reads":[connector, run, runResult]}
#   connector : the Entra connector's name and identifier
#   run       : Invoke-ADSyncRunProfile -RunProfileName 'Delta Import' (or its error: a failed
#               sign-in is a result, not a failure of this script)
#   runResult : Get-ADSyncRunProfileResult of that connector, the newest run, with step details
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    Import-Module -Name ADSync -ErrorAction Stop
    $connector = Get-ADSyncConnector -Identifier $script:AbafixEntraConnectorId -ErrorAction Stop
    $reads = New-Object System.Collections.ArrayList
    [void]$reads.Add((Invoke-AbafixRead 'connector' 'Get-ADSyncConnector' { $connector | Select-Object -Property @('Name', 'Identifier') }))
    [void]$reads.Add((Invoke-AbafixRead 'run' 'Invoke-ADSyncRunProfile' { Invoke-ADSyncRunProfile -ConnectorName $connector.Name -RunProfileName 'Delta Import' -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'runResult' 'Get-ADSyncRunProfileResult' { Get-ADSyncRunProfileResult -ConnectorId $connector.Identifier -NumberRequested 1 -RunStepDetails -ErrorAction Stop }))
    @{ reads = $reads.ToArray() }
}
