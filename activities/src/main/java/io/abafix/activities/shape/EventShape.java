package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the reads of {@code Get-AbafixEvents.ps1} into entries, oldest first. Rules (fixtures under
 * {@code fixtures/events}):
 *
 * <ul>
 *   <li>{@code events}: each object's RecordId, Id, ProviderName, LevelDisplayName, TimeCreated and
 *       Message. A null Message (the provider's message file cannot be loaded) becomes the text of
 *       the event's Properties, so that a code like AADSTS700027 in the event data is still seen.
 *       Get-WinEvent's NoMatchingEventsFound means no entries.
 *   <li>{@code newestRecord}: the newest Directory Synchronization entry's RecordId, or 0 when the
 *       log holds none; see {@link Window#logCleared}.
 * </ul>
 */
public final class EventShape {
  private EventShape() {}

  /**
   * @param entries the entries read, oldest first
   * @param newestRecordId the newest Directory Synchronization record id in the log (0: none)
   */
  public record Window(List<EventLogEntry> entries, long newestRecordId) {
    /**
     * Whether the log was cleared since {@code afterRecordId} was read: record ids start again from
     * 1 in a cleared log, so the newest is then below the one asked after.
     */
    public boolean logCleared(long afterRecordId) {
      return newestRecordId < afterRecordId;
    }
  }

  public static Window interpret(RawAnswer answer) {
    RawRead events = answer.read("events");
    List<EventLogEntry> out = new ArrayList<>();
    if (!noMatches(events)) {
      String cmd = events.command();
      for (RawObject e : events.objects()) {
        String message = e.string(cmd, "Message");
        if (message == null) message = propertiesText(cmd, e);
        out.add(
            new EventLogEntry(
                e.number(cmd, "RecordId"),
                Math.toIntExact(e.number(cmd, "Id")),
                e.string(cmd, "ProviderName"),
                e.string(cmd, "LevelDisplayName"),
                e.string(cmd, "TimeCreated"),
                message));
      }
    }
    out.sort(Comparator.comparingLong(EventLogEntry::recordId));
    RawRead newest = answer.read("newestRecord");
    long newestId = 0;
    if (!noMatches(newest)) {
      List<RawObject> objects = newest.objects();
      if (!objects.isEmpty()) newestId = objects.get(0).number(newest.command(), "RecordId");
    }
    for (EventLogEntry e : out) newestId = Math.max(newestId, e.recordId());
    return new Window(List.copyOf(out), newestId);
  }

  private static boolean noMatches(RawRead read) {
    if (!read.failed()) return false;
    if (read.error().hasErrorId("NoMatchingEventsFound")) return true;
    throw new HostException(Category.TRANSIENT, read.command() + " failed: " + read.error());
  }

  /** The event data (EventLogRecord.Properties, each an EventProperty with a Value), joined. */
  private static String propertiesText(String cmd, RawObject e) {
    if (!e.has("Properties")) return null;
    List<String> parts = new ArrayList<>();
    for (JsonNode p : e.list(cmd, "Properties")) {
      if (RawObject.isObject(p)) {
        RawObject property = RawObject.parse(cmd, p);
        if (property.has("Value")) {
          JsonNode v = property.value("Value").orElseThrow();
          if (!v.isNull()) parts.add(v.isValueNode() ? v.asText() : v.toString());
        }
      } else if (p.isValueNode() && !p.isNull()) {
        parts.add(p.asText());
      }
    }
    return parts.isEmpty() ? null : String.join(" ", parts);
  }
}
