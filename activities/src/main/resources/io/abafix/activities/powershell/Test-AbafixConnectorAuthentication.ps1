# Tries a sign-in with the Entra connector's current identity.
# Input : {"server":"SERVERA"}
# Result: {"authenticated":true,"errorCode":null,"message":null}
#      or {"authenticated":false,"errorCode":"AADSTS700027|AADSTSnnnnn|AccessDenied","message":"..."}
# A failed sign-in is a result, not an error: the caller wants to know whether it works.
#
# Get-ADSyncAADCompanyFeature reads the tenant's sync features through the connector's own
# identity, so it succeeds only when that identity can sign in. Using it as a probe is an
# inference from its behaviour, not a documented purpose.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    Import-Module ADSync
    try {
        Get-ADSyncAADCompanyFeature | Out-Null
        return @{ authenticated = $true; errorCode = $null; message = $null }
    } catch {
        $text = [string]$_.Exception.Message
        if ($text -match '(AADSTS\d+)') {
            return @{ authenticated = $false; errorCode = $Matches[1]; message = $text }
        }
        if ($text -match '(?i)access (is )?denied|unauthorized|\b401\b|\b403\b') {
            # Expected for up to 15 minutes after a new service account is created.
            return @{ authenticated = $false; errorCode = 'AccessDenied'; message = $text }
        }
        throw
    }
}
