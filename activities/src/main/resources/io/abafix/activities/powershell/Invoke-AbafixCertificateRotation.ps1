# Rotates the application certificate: a new key replaces the key of the connector's app.
# Input : {"server":"SERVERA"}
# Result: {"certificateThumbprint":"..." or null}  (read back after the rotation)
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    Import-Module ADSync
    Invoke-ADSyncApplicationCredentialRotation | Out-Null
    $identity = Get-AbafixConnectorIdentity
    @{ certificateThumbprint = $identity.certificateThumbprint }
}
