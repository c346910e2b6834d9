package io.abafix.workflows.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal a workflow keeps of its steps. Lives in workflow state, so it is rebuilt on replay
 * and served by query while the run goes on. Not thread safe: only the workflow thread writes it.
 */
public final class AuditJournal {
  private final String runId;
  private final List<AuditEntry> entries = new ArrayList<>();

  public AuditJournal(String runId) {
    this.runId = runId;
  }

  /** Appends one entry and returns it. */
  public AuditEntry record(
      String step,
      String target,
      String executor,
      String actor,
      long startedAt,
      long endedAt,
      int attempts,
      String outcome,
      Map<String, String> before,
      Map<String, String> after,
      String detail) {
    AuditEntry entry =
        new AuditEntry(
            runId,
            entries.size() + 1,
            step,
            target,
            executor,
            actor,
            startedAt,
            endedAt,
            attempts,
            outcome,
            sorted(before),
            sorted(after),
            detail);
    entries.add(entry);
    return entry;
  }

  public List<AuditEntry> entries() {
    return Collections.unmodifiableList(new ArrayList<>(entries));
  }

  public int size() {
    return entries.size();
  }

  private static Map<String, String> sorted(Map<String, String> facts) {
    return facts == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(facts));
  }
}
