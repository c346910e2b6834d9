<#
.SYNOPSIS
Runs the abafix command line on Windows, as ./abafix does elsewhere: builds it first when the jar
is missing or older than the sources, then runs java -jar starter\target\abafix.jar.

.EXAMPLE
.\abafix.cmd demo
#>
$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
# In the release (abafix-VERSION.zip) the jar sits beside this script and nothing is built.
$released = Join-Path $root 'abafix.jar'
if (Test-Path -LiteralPath $released -PathType Leaf) {
    & java -jar $released @args
    exit $LASTEXITCODE
}
$jar = Join-Path $root 'starter\target\abafix.jar'

# The sources a build depends on, without build output, node_modules, git's own files or the
# Temporal CLI that .ci/run installs in .temporal.
function Get-Source {
    param([string] $Directory)
    foreach ($item in Get-ChildItem -LiteralPath $Directory -Force) {
        if ($item.PSIsContainer) {
            if (@('target', 'node_modules', '.git', '.temporal') -notcontains $item.Name) {
                Get-Source -Directory $item.FullName
            }
        } elseif ((@('.java', '.ps1', '.json') -contains $item.Extension) -or $item.Name -eq 'pom.xml') {
            $item
        }
    }
}

function Test-BuildNeeded {
    if (-not (Test-Path -LiteralPath $jar)) { return $true }
    $built = (Get-Item -LiteralPath $jar).LastWriteTimeUtc
    $newer = Get-Source -Directory $root |
        Where-Object { $_.LastWriteTimeUtc -gt $built } |
        Select-Object -First 1
    return [bool]$newer
}

if (Test-BuildNeeded) {
    [Console]::Error.WriteLine('abafix: building (the first build downloads dependencies and takes a few minutes)...')
    # Maven's own output (progress, colour codes) goes to a log, shown only when the build fails.
    $log = [System.IO.Path]::GetTempFileName()
    $maven = 'mvn'
    if ($env:OS -eq 'Windows_NT') { $maven = 'mvn.cmd' }
    $build = Start-Process -FilePath $maven -ArgumentList @('-B', '-DskipTests', '-Dstyle.color=never', 'package') `
        -WorkingDirectory $root -RedirectStandardOutput $log -RedirectStandardError "$log.err" `
        -NoNewWindow -Wait -PassThru
    if ($build.ExitCode -ne 0) {
        Get-Content -LiteralPath $log, "$log.err" |
            Where-Object { $_ -match '\[(ERROR|WARNING)\]' } |
            Select-Object -First 40 |
            ForEach-Object { [Console]::Error.WriteLine($_) }
        [Console]::Error.WriteLine("abafix: the build failed; the whole log is in $log")
        exit 1
    }
    Remove-Item -LiteralPath $log, "$log.err" -ErrorAction SilentlyContinue
}

& java -jar $jar @args
exit $LASTEXITCODE
