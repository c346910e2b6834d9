# Reads the newest Directory Synchronization entries abafix looks at (906, 1011, 1012, 1014) of the
# Application log after a record id. Changes nothing and takes no lock.
# Input : {"server":"SERVERA","afterRecordId":0,"maxEntries":100}
# Result: {"reads":[events, newestRecord]}
#   events       : Get-WinEvent, filtered on the server by provider, event id and record id, newest
#                  first, at most maxEntries (documented EventLogRecord properties, with Properties
#                  for entries whose Message cannot be rendered)
#   newestRecord : the newest Directory Synchronization entry of any id, so that the adapter can
#                  tell a cleared log (record ids start again) from a quiet one
. (Join-Path $PSScriptRoot 'AbafixCommon.ps1')

Invoke-AbafixMain -ReadOnly -Required @('server', 'afterRecordId', 'maxEntries') -Body {
    param($in)
    $after = Get-AbafixInputInteger $in 'afterRecordId' 0 ([long]::MaxValue)
    $max = Get-AbafixInputInteger $in 'maxEntries' 1 1000

    # Filtering here keeps Get-WinEvent from rendering every message of a long log.
    $provider = "Provider[@Name='Directory Synchronization']"
    $query = '*[System[' + $provider + ' and (EventID=906 or EventID=1011 or EventID=1012 or EventID=1014) and (EventRecordID>' + $after + ')]]'
    $reads = New-Object System.Collections.ArrayList
    [void]$reads.Add((Invoke-AbafixRead 'events' 'Get-WinEvent' {
        Get-WinEvent -LogName Application -FilterXPath $query -MaxEvents $max -ErrorAction Stop |
            Select-Object -Property @('RecordId', 'Id', 'ProviderName', 'LevelDisplayName', 'TimeCreated', 'Message', 'Properties')
    }))
    [void]$reads.Add((Invoke-AbafixRead 'newestRecord' 'Get-WinEvent' {
        Get-WinEvent -LogName Application -FilterXPath ('*[System[' + $provider + ']]') -MaxEvents 1 -ErrorAction Stop |
            Select-Object -Property @('RecordId', 'TimeCreated')
    }))
    @{ reads = $reads.ToArray() }
}
