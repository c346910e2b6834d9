package io.abafix.workflows.internal.incident;

import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.plan.Executor;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The reports an incident received, each once (by key), and which of them its diagnosis has not
 * seen yet. A report that comes after the fleet was read is late: it is recorded, and if the run
 * ends without having acted on it, the run continues as new carrying it, so no report is dropped.
 */
public final class Reports {
  private final AuditJournal journal;
  private final Supplier<String> phase;
  private final List<IncidentReport> all = new ArrayList<>();
  private final Set<String> keys = new LinkedHashSet<>();
  private int diagnosed;

  /**
   * @param phase the incident's phase now, named in the journal for a report that comes late
   */
  public Reports(AuditJournal journal, Supplier<String> phase) {
    this.journal = journal;
    this.phase = phase;
  }

  /** Records a report unless the same observation was recorded before. */
  public void add(IncidentReport r, boolean late) {
    if (r == null || r.server() == null || !keys.add(r.key())) return;
    all.add(r);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", String.valueOf(r.kind()));
    if (r.eventId() != 0) facts.put("eventId", String.valueOf(r.eventId()));
    if (r.recordId() != 0) facts.put("recordId", String.valueOf(r.recordId()));
    facts.put("observedAt", String.valueOf(r.observedAt()));
    journal
        .entry("REPORT")
        .target(r.server())
        .executor(Executor.AUTOMATED.name())
        .actor("watcher@" + r.server())
        .at(Workflow.currentTimeMillis())
        .outcome("INFO")
        .after(facts)
        .detail((late ? "(noted during " + phase.get() + ") " : "") + r.kind() + ": " + brief(r))
        .record();
  }

  public int size() {
    return all.size();
  }

  public List<IncidentReport> all() {
    return List.copyOf(all);
  }

  /** Every report so far goes into the diagnosis that starts now. */
  public void markDiagnosed() {
    diagnosed = all.size();
  }

  /** The reports no diagnosis has seen. */
  public List<IncidentReport> undiagnosed() {
    return List.copyOf(all.subList(diagnosed, all.size()));
  }

  /** The part of an event text a person needs: from the AADSTS code on, shortened. */
  private static String brief(IncidentReport r) {
    String evidence = r.evidence();
    if (evidence == null) return "";
    int at = evidence.indexOf("AADSTS");
    String t = at > 0 ? evidence.substring(at) : evidence;
    return t.length() <= 160 ? t : t.substring(0, 160) + "...";
  }
}
