# Configures application-based authentication with a new app registration of this server's own.
# Input : {"server":"SERVERA"}
# Result: {"applicationId":"..." or null,"identityType":"Application|ServiceAccount|Unknown"}
#
# Add-EntraApplicationRegistration may need an interactive administrator sign-in; under
# -NonInteractive that fails as InteractiveSignInRequired, and an operator runs the wizard instead.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    Import-Module ADSync
    $registration = Add-EntraApplicationRegistration
    $appId = Get-AbafixPropertyValue $registration 'ApplicationAppId'
    if ($null -ne $appId) {
        Add-ADSyncApplicationRegistration -ApplicationAppId $appId | Out-Null
    } else {
        Add-ADSyncApplicationRegistration | Out-Null
    }
    $identity = Get-AbafixConnectorIdentity
    @{ applicationId = $identity.applicationId; identityType = $identity.identityType }
}
