# Makes ADSyncTools 2.3.0 or later available for all users, for Repair-ADSyncToolsEntraAppParameters.
# Input : {"server":"SERVERA","source":"gallery"}
#         {"server":"SERVERA","source":"D:\\abafix\\modules\\ADSyncTools"}   (a pre-staged folder)
# Result: {"reads":[adSyncToolsModules]}  (read after the install; the adapter checks the version)
#
# "gallery" installs from the PowerShell Gallery as the troubleshooting article does (TLS 1.2,
# Install-Module / Update-Module), unattended: -Scope AllUsers -Force. Install-Module with
# -MinimumVersion and -Force also covers "update": it installs the newest version beside an older
# one, which works whether or not the older one came from the Gallery (Update-Module refuses
# modules that Install-Module did not install).
# A folder path is for servers without internet access: the folder holds ADSyncTools.psd1, directly
# or in a version subfolder; it is copied to $env:ProgramFiles\WindowsPowerShell\Modules\ADSyncTools\<version>.
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

$script:AbafixMinimumAdSyncTools = [version]'2.3.0'

function Install-AbafixFromGallery {
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    try {
        # A fresh Windows PowerShell 5.1 asks before bootstrapping NuGet; -Force answers for it.
        $nuget = Get-PackageProvider -ListAvailable -Name NuGet -ErrorAction SilentlyContinue | Where-Object { $_.Version -ge [version]'2.8.5.201' }
        if ($null -eq $nuget) {
            Install-PackageProvider -Name NuGet -MinimumVersion '2.8.5.201' -Scope AllUsers -Force -ErrorAction Stop | Out-Null
        }
        # PowerShellGet's functions do not inherit this script's error preference.
        Install-Module -Name ADSyncTools -MinimumVersion $script:AbafixMinimumAdSyncTools.ToString() -Repository PSGallery -Scope AllUsers -Force -AllowClobber -ErrorAction Stop | Out-Null
    } catch {
        # A server without internet access fails the same way every time: say what to do instead.
        throw (New-AbafixError 'Permanent' 'GalleryUnreachable' ('cannot install ADSyncTools from the PowerShell Gallery: ' + $_.Exception.Message + ' Pre-stage the module on this server and give its folder as the source.'))
    }
}

function Find-AbafixStagedManifest {
    param([Parameter(Mandatory = $true)][string] $Folder)
    if (-not (Test-Path -LiteralPath $Folder -PathType Container)) {
        throw (New-AbafixError 'Permanent' 'StagedModuleMissing' ('no folder ' + $Folder + ' on this server: copy the ADSyncTools module there first'))
    }
    $direct = Join-Path $Folder 'ADSyncTools.psd1'
    if (Test-Path -LiteralPath $direct -PathType Leaf) { return $direct }
    $nested = Get-ChildItem -LiteralPath $Folder -Directory -ErrorAction Stop | ForEach-Object { Join-Path $_.FullName 'ADSyncTools.psd1' } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    if ($null -eq $nested) {
        throw (New-AbafixError 'Permanent' 'StagedModuleMissing' ('the folder ' + $Folder + ' holds no ADSyncTools.psd1'))
    }
    return [string]$nested
}

function Install-AbafixFromFolder {
    param([Parameter(Mandatory = $true)][string] $Folder)
    $manifestPath = Find-AbafixStagedManifest -Folder $Folder
    $manifest = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
    if ($manifest.Version -lt $script:AbafixMinimumAdSyncTools) {
        throw (New-AbafixError 'Permanent' 'StagedModuleTooOld' ('the staged ADSyncTools is ' + $manifest.Version + '; ' + $script:AbafixMinimumAdSyncTools + ' or later is needed'))
    }
    $target = Join-Path $env:ProgramFiles ('WindowsPowerShell\Modules\ADSyncTools\' + $manifest.Version.ToString())
    if (-not (Test-Path -LiteralPath $target)) {
        New-Item -ItemType Directory -Path $target -Force -ErrorAction Stop | Out-Null
    }
    $source = Split-Path -Parent $manifestPath
    Copy-Item -Path (Join-Path $source '*') -Destination $target -Recurse -Force -ErrorAction Stop
}

Invoke-AbafixMain -Required @('server', 'source') -Body {
    param($in)
    $source = Get-AbafixInputString $in 'source'
    if ($source -eq 'gallery') {
        Install-AbafixFromGallery
    } else {
        if ($source -notmatch '\A(?:[A-Za-z]:\\|\\\\[^\\/:*?"<>|]+\\)[^/:*?"<>|]{0,255}\z') {
            throw (New-AbafixError 'Permanent' 'InvalidInput' 'source must be gallery or an absolute folder path')
        }
        Install-AbafixFromFolder -Folder $source
    }
    # Proves the module loads, not only that its files are there.
    Import-Module -Name ADSyncTools -MinimumVersion $script:AbafixMinimumAdSyncTools.ToString() -Force -ErrorAction Stop
    @{ reads = @((Read-AbafixAdSyncToolsModules)) }
}
