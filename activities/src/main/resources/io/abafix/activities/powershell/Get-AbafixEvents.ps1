# Reads Directory Synchronization entries of the Application log newer than a record id, oldest first.
# Input : {"server":"SERVERA","afterRecordId":0,"maxEntries":100}
# Result: {"events":[{"recordId":1,"eventId":906,"source":"Directory Synchronization",
#          "level":"Error","timeCreated":"2025-01-12T10:00:00.0000000Z","message":"..."}]}
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -Required @('server', 'afterRecordId', 'maxEntries') -Body {
    param($in)
    $after = Get-AbafixInputInteger $in 'afterRecordId' 0 ([long]::MaxValue)
    $max = Get-AbafixInputInteger $in 'maxEntries' 1 1000

    # The record id is not a FilterHashtable key: filter by provider in the query and by record id
    # afterwards, reading oldest first so that the newest entries are not the ones cut off.
    $filter = @{ LogName = 'Application'; ProviderName = 'Directory Synchronization' }
    $found = @()
    try {
        $found = @(Get-WinEvent -FilterHashtable $filter -Oldest | Where-Object { $_.RecordId -gt $after } | Select-Object -First $max)
    } catch {
        if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw }
    }

    $events = @()
    foreach ($e in $found) {
        $events += @{
            recordId    = [long]$e.RecordId
            eventId     = [int]$e.Id
            source      = [string]$e.ProviderName
            level       = [string]$e.LevelDisplayName
            # ConvertTo-Json in 5.1 writes a DateTime as \/Date(...)\/: send ISO-8601 text instead.
            timeCreated = $e.TimeCreated.ToUniversalTime().ToString('o')
            message     = [string]$e.Message
        }
    }
    @{ events = $events }
}
