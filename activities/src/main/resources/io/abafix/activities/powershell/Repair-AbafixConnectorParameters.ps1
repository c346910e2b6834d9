# Restores the Entra connector's blank ABA parameters (ApplicationManagedBy, CertificateManagedBy,
# CertificateId) with ADSyncTools' Repair-ADSyncToolsEntraAppParameters.
# Input : {"server":"SERVERA"}
# Result: {"reads":[adSyncToolsModules, call]}  (the adapter inspects after)
#
# The module is not installed here: Install-AbafixAdSyncTools.ps1 does that as its own step (from the
# PowerShell Gallery, or from a pre-staged folder on servers without internet access), so that each
# step does one thing and the audit shows which.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server') -Body {
    param($in)
    $modules = Read-AbafixAdSyncToolsModules
    Import-Module -Name ADSync -ErrorAction Stop
    try {
        Import-Module -Name ADSyncTools -MinimumVersion '2.3.0' -ErrorAction Stop
    } catch {
        throw (New-AbafixError 'Permanent' 'AdSyncToolsMissing' ('ADSyncTools 2.3.0 or later does not load on this server (' + $_.Exception.Message + '): install or update it first (Install-Module ADSyncTools, or a pre-staged module), then retry'))
    }
    # A script module function: without -ErrorAction Stop its failures would not stop anything.
    $call = Invoke-AbafixCall 'Repair-ADSyncToolsEntraAppParameters' { Repair-ADSyncToolsEntraAppParameters -ErrorAction Stop }
    @{ reads = @($modules, $call) }
}
