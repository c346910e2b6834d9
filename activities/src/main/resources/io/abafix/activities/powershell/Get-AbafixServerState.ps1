# Reads this server's Entra Connect state in one inspection. Changes nothing, takes no lock, and
# answers with ADSync stopped too (the reads that need the service then report their error).
# Input : {"server":"SERVERA"}
# Result: {"reads":[{"name","command","output":[raw objects]} or {"name","command","error":{...}}]}
#   host               : computer name, 64-bit process, language mode, PowerShell version
#   service            : Get-Service -Name ADSync
#   machineIdentifier  : the registry value SyncMachineIdentifier
#   adSyncModule       : Import-Module ADSync
#   scheduler          : Get-ADSyncScheduler
#   runStatus          : Get-ADSyncConnectorRunStatus (a run in progress, if any)
#   connectorCredential: Get-ADSyncEntraConnectorCredential (missing on builds before ABA)
#   connector          : Get-ADSyncConnector of the Entra connector: name, identifier, connectivity
#                        parameters (values of encrypted parameters are never written)
#   globalSettings     : Get-ADSyncGlobalSettings (the sync engine's version among its parameters)
#   adSyncToolsModules : Get-Module -ListAvailable -Name ADSyncTools
#   wizard             : a running Entra Connect wizard (AzureADConnect.exe), if any
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -ReadOnly -Required @('server') -Body {
    param($in)
    $reads = New-Object System.Collections.ArrayList
    [void]$reads.Add((Invoke-AbafixRead 'host' 'abafix:host' { Get-AbafixHostFacts }))
    [void]$reads.Add((Invoke-AbafixRead 'service' 'Get-Service' { Get-Service -Name ADSync -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'machineIdentifier' 'Get-ItemProperty' { Get-ItemProperty -LiteralPath $script:AbafixRegistryPath -Name SyncMachineIdentifier -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'adSyncModule' 'Import-Module' { Import-Module -Name ADSync -PassThru -ErrorAction Stop | Select-Object -Property @('Name', 'Version', 'ModuleBase') }))
    [void]$reads.Add((Invoke-AbafixRead 'scheduler' 'Get-ADSyncScheduler' { Get-ADSyncScheduler -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'runStatus' 'Get-ADSyncConnectorRunStatus' { Get-ADSyncConnectorRunStatus -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'connectorCredential' 'Get-ADSyncEntraConnectorCredential' { Get-ADSyncEntraConnectorCredential -ErrorAction Stop }))
    [void]$reads.Add((Invoke-AbafixRead 'connector' 'Get-ADSyncConnector' {
        $connector = Get-ADSyncConnector -Identifier $script:AbafixEntraConnectorId -ErrorAction Stop
        # A password parameter never leaves the server: dropped by its name or its type, since an
        # encrypted parameter's DataType may well read "String" like the others.
        $parameters = @(Get-AbafixProperty $connector 'ConnectivityParameters' | Where-Object { -not (Test-AbafixSecretParameter $_) })
        New-Object PSObject -Property ([ordered]@{
            Name                   = Get-AbafixProperty $connector 'Name'
            Identifier             = Get-AbafixProperty $connector 'Identifier'
            ConnectivityParameters = $parameters
        })
    }))
    [void]$reads.Add((Invoke-AbafixRead 'globalSettings' 'Get-ADSyncGlobalSettings' { Get-ADSyncGlobalSettings -ErrorAction Stop }))
    [void]$reads.Add((Read-AbafixAdSyncToolsModules))
    # Not finding the process is the normal answer, not a failure.
    [void]$reads.Add((Invoke-AbafixRead 'wizard' 'Get-Process' { Get-Process -Name AzureADConnect -ErrorAction SilentlyContinue | Select-Object -Property @('Id', 'ProcessName') }))
    @{ reads = $reads.ToArray() }
}
