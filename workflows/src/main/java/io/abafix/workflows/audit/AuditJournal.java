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

  /**
   * Starts an entry for {@code step}; {@link Entry#record()} appends it. Reads better than the
   * eleven positional arguments of {@link #record}, several of which share a type.
   */
  public Entry entry(String step) {
    return new Entry(this, step);
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

  /** One entry being built; unset times, counts and facts are 0 and empty. */
  public static final class Entry {
    private final AuditJournal journal;
    private final String step;
    private String target;
    private String executor;
    private String actor;
    private long startedAt;
    private long endedAt;
    private int attempts;
    private String outcome;
    private Map<String, String> before = Map.of();
    private Map<String, String> after = Map.of();
    private String detail = "";

    private Entry(AuditJournal journal, String step) {
      this.journal = journal;
      this.step = step;
    }

    public Entry target(String target) {
      this.target = target;
      return this;
    }

    public Entry executor(String executor) {
      this.executor = executor;
      return this;
    }

    public Entry actor(String actor) {
      this.actor = actor;
      return this;
    }

    /** Started and ended at the same instant. */
    public Entry at(long instant) {
      return between(instant, instant);
    }

    public Entry between(long startedAt, long endedAt) {
      this.startedAt = startedAt;
      this.endedAt = endedAt;
      return this;
    }

    public Entry attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Entry outcome(String outcome) {
      this.outcome = outcome;
      return this;
    }

    public Entry before(Map<String, String> before) {
      this.before = before;
      return this;
    }

    public Entry after(Map<String, String> after) {
      this.after = after;
      return this;
    }

    public Entry detail(String detail) {
      this.detail = detail;
      return this;
    }

    public AuditEntry record() {
      return journal.record(
          step, target, executor, actor, startedAt, endedAt, attempts, outcome, before, after,
          detail);
    }
  }
}
