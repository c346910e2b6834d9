# Rotates the application certificate to a certificate the administrator provides (BYOC): a new key
# replaces the key of the connector's app.
# Input : {"server":"SERVERA","certificateSha256":"<64 hex: the SHA-256 hash of the certificate>"}
# Result: {"reads":[call]}  (what Invoke-ADSyncApplicationCredentialRotation returned)
#
# Microsoft documents PowerShell rotation only with -CertificateSHA256Hash (a certificate in the
# LOCAL_MACHINE store); the managed mode rotates through the wizard, which is an operator step.
# -CertificateSHA256Hash takes the SHA-256 hash, never the SHA-1 thumbprint Windows shows.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'certificateSha256') -Body {
    param($in)
    $hash = Get-AbafixInputString $in 'certificateSha256' '^[0-9A-Fa-f]{64}\z'
    Import-Module -Name ADSync -ErrorAction Stop
    $call = Invoke-AbafixCall 'Invoke-ADSyncApplicationCredentialRotation' { Invoke-ADSyncApplicationCredentialRotation -CertificateSHA256Hash $hash -ErrorAction Stop }
    @{ reads = @($call) }
}
