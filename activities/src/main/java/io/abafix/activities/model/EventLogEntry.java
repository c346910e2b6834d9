package io.abafix.activities.model;

/**
 * One entry of a server's Application event log.
 *
 * @param recordId the log's monotonically increasing record number
 * @param eventId e.g. 906 (authentication failure), 1011/1012 (certificate expiry)
 * @param timeCreated ISO-8601
 */
public record EventLogEntry(
    long recordId, int eventId, String source, String level, String timeCreated, String message) {}
