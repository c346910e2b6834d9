package io.abafix.workflows.incident;

import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.workflows.model.Sorted;
import io.abafix.workflows.plan.FleetObservation;
import java.util.List;
import java.util.Map;

/**
 * What a diagnosis reads: the fleet as preflight sees it, plus each server's recent relevant events
 * and the servers that could not be read.
 *
 * @param events per server, its recent events 906, 1011, 1012 and 1014, oldest first
 * @param unreachable per server that could not be read, why
 * @param directoryPrerequisites what the directory worker could not prove it may do (delete and
 *     restore the shared apps, read the Global Administrator check), each with its fix
 */
public record FleetFacts(
    FleetObservation observation,
    Map<String, List<EventLogEntry>> events,
    Map<String, String> unreachable,
    List<DirectoryPrerequisites.Missing> directoryPrerequisites) {

  public FleetFacts {
    events = events == null ? Map.of() : Sorted.map(events);
    unreachable = unreachable == null ? Map.of() : Sorted.map(unreachable);
    directoryPrerequisites =
        directoryPrerequisites == null ? List.of() : List.copyOf(directoryPrerequisites);
  }

  public FleetFacts(
      FleetObservation observation,
      Map<String, List<EventLogEntry>> events,
      Map<String, String> unreachable) {
    this(observation, events, unreachable, List.of());
  }

  /** Events 906, 1011, 1012 and 1014 (no TPM): the ones a diagnosis looks at. */
  public static boolean relevant(EventLogEntry e) {
    return e.eventId() == 906 || e.eventId() == 1011 || e.eventId() == 1012 || e.eventId() == 1014;
  }
}
