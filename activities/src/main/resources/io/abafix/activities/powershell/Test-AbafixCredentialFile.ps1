# Proves, before anything changes, that the revert's credential file is usable here: it exists,
# decrypts under this worker's account on this server, and holds a credential.
# Input : {"server":"SERVERA","credentialReference":"clixml:C:\\ProgramData\\abafix\\hia.xml"}
# Result: {"userName":"hia@contoso.onmicrosoft.com"}  (only the user name: never the password)
#
# Read-only: the file is opened and the credential dropped; nothing on the server changes.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'credentialReference') -Body {
    param($in)
    $credential = Resolve-AbafixCredential (Get-AbafixInputString $in 'credentialReference')
    @{ userName = [string]$credential.UserName }
}
