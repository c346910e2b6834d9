# Configures application-based authentication with a new app registration of this server's own,
# with a certificate the administrator provides (BYOC).
# Input : {"server":"SERVERA","certificateSha256":"<64 hex: the SHA-256 hash of the certificate>"}
# Result: {"reads":[register, connect]}  (what each cmdlet returned; the adapter inspects after)
#
# Microsoft documents this in PowerShell only with -CertificateSHA256Hash: register the app, then
# point the connector at it. The managed mode is the wizard's, an operator step. Should
# Add-EntraApplicationRegistration want an interactive sign-in, -NonInteractive makes it fail
# instead of waiting, and the adapter reports that the step needs an operator.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'certificateSha256') -Body {
    param($in)
    $hash = Get-AbafixInputString $in 'certificateSha256' '^[0-9A-Fa-f]{64}\z'
    Import-Module -Name ADSync -ErrorAction Stop
    $register = Invoke-AbafixCall -Name 'register' -Command 'Add-EntraApplicationRegistration' -Call { Add-EntraApplicationRegistration -CertificateSHA256Hash $hash -ErrorAction Stop }
    $connect = Invoke-AbafixCall -Name 'connect' -Command 'Add-ADSyncApplicationRegistration' -Call { Add-ADSyncApplicationRegistration -CertificateSHA256Hash $hash -ErrorAction Stop }
    @{ reads = @($register, $connect) }
}
