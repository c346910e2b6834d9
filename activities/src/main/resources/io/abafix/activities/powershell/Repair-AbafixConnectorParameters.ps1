# Restores the Entra connector's blank ABA parameters (ApplicationManagedBy, CertificateManagedBy,
# CertificateId) with ADSyncTools' Repair-ADSyncToolsEntraAppParameters.
# Input : {"server":"SERVERA"}
# Result: {"adSyncToolsVersion":"2.3.0","abaParameters":{"applicationManagedBy","certificateManagedBy","certificateId"}}
#
# The module is not installed here: Install-AbafixAdSyncTools.ps1 does that as its own step (from the
# PowerShell Gallery, or from a pre-staged folder on servers without internet access), so that each
# step does one thing and the audit shows which.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    $version = Get-AbafixAdSyncToolsVersion
    if ($null -eq $version -or ([version]$version) -lt ([version]'2.3.0')) {
        throw (New-AbafixError 'Permanent' 'AdSyncToolsMissing' 'ADSyncTools 2.3.0 or later is not installed on this server: install or update it first (Install-Module ADSyncTools, or a pre-staged module), then retry')
    }
    Import-Module ADSync
    Import-Module ADSyncTools -MinimumVersion '2.3.0'
    Repair-ADSyncToolsEntraAppParameters -ErrorAction Stop | Out-Null
    @{ adSyncToolsVersion = $version; abaParameters = Get-AbafixAbaParameters }
}
