# Reads this server's Entra Connect state in one inspection. Changes nothing.
# Input : {"server":"SERVERA"}
# Result: {"server","machineId","version","stagingMode","adSyncRunning","syncCycleEnabled",
#          "syncCycleInProgress","connectorAccount","identityType","serviceAccountName",
#          "applicationId","certificateThumbprint",
#          "abaParameters":{"applicationManagedBy","certificateManagedBy","certificateId"},
#          "adSyncToolsVersion"}
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    Import-Module ADSync

    $service = Get-Service -Name ADSync
    $scheduler = Get-AbafixSchedulerFacts
    $identity = Get-AbafixConnectorIdentity

    # The sync engine keeps its own version in the global settings; the parameter name is the one
    # Microsoft's own diagnostics read (an inference: it is not in the cmdlet reference).
    $version = $null
    $settings = Get-ADSyncGlobalSettings
    $versionParameter = $settings.Parameters | Where-Object { $_.Name -eq 'Microsoft.Synchronize.ServerConfigurationVersion' } | Select-Object -First 1
    if ($null -ne $versionParameter) { $version = [string]$versionParameter.Value }

    $connector = Get-ADSyncConnector -Identifier $script:AbafixEntraConnectorId
    $connectorAccount = Get-AbafixConnectorParameter $connector 'UserName'

    @{
        server                = $env:COMPUTERNAME
        machineId             = Get-AbafixMachineIdentifier
        version               = $version
        stagingMode           = $scheduler.stagingMode
        adSyncRunning         = ($service.Status -eq 'Running')
        syncCycleEnabled      = $scheduler.syncCycleEnabled
        syncCycleInProgress   = $scheduler.syncCycleInProgress
        connectorAccount      = $connectorAccount
        identityType          = $identity.identityType
        serviceAccountName    = $identity.serviceAccountName
        applicationId         = $identity.applicationId
        certificateThumbprint = $identity.certificateThumbprint
        abaParameters         = Get-AbafixAbaParameters
        adSyncToolsVersion    = Get-AbafixAdSyncToolsVersion
    }
}
