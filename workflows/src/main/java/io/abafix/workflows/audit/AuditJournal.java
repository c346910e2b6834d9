package io.abafix.workflows.audit;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal a workflow keeps of its steps. Lives in workflow state, so it is rebuilt on replay
 * and served by query while the run goes on. Not thread safe: only the workflow thread writes it.
 *
 * <p>Each record is hash-chained to the one before as it is recorded ({@link AuditChain}). {@link
 * #seal} and {@link #close} have the orchestrator sign a digest of the chain's head ({@link
 * AuditDigest}) and record it as a record of its own, so that an export can be checked against a
 * key the workflow never sees.
 */
public final class AuditJournal {
  /** The step name of a signed digest record. */
  public static final String DIGEST = "AUDIT_DIGEST";

  private static final String SIGNED_AUDIT = "abafix-signed-audit";

  private final String runId;
  private final List<AuditEntry> entries = new ArrayList<>();
  private AuditDigest lastDigest;
  private AuditSigningActivities signer;

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
    String prev = entries.isEmpty() ? AuditChain.GENESIS : entries.get(entries.size() - 1).hash();
    AuditEntry unhashed =
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
            detail,
            prev,
            null);
    AuditEntry entry = withHash(unhashed, AuditChain.hashOf(unhashed));
    entries.add(entry);
    return entry;
  }

  /**
   * Has the orchestrator sign the records so far, after a destructive step ({@code reason} names
   * it). Does nothing when nothing was recorded since the last digest. Workflow code only.
   */
  public void seal(String reason) {
    if (lastDigest != null && lastDigest.lastSeq() == entries.size()) return;
    sign(reason, false);
  }

  /** The run's last digest: call once, when the run ends, after its last record. */
  public void close() {
    if (lastDigest != null && lastDigest.closing()) return;
    sign("END", true);
  }

  private void sign(String reason, boolean closing) {
    if (entries.isEmpty()) return;
    // Runs started before signed digests existed replay as they ran.
    if (Workflow.getVersion(SIGNED_AUDIT, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return;
    }
    WorkflowInfo info = Workflow.getInfo();
    int first = lastDigest == null ? 1 : lastDigest.lastSeq() + 1;
    int last = entries.size();
    AuditDigest digest =
        new AuditDigest(
            info.getNamespace(),
            info.getWorkflowId(),
            runId,
            first,
            last,
            last - first + 1,
            entries.get(last - 1).hash(),
            lastDigest == null ? AuditChain.GENESIS : lastDigest.id(),
            reason,
            closing);
    long now = Workflow.currentTimeMillis();
    try {
      // Signed even while the run is being cancelled: the digest covers what was done.
      SignedDigest[] holder = new SignedDigest[1];
      Workflow.newDetachedCancellationScope(() -> holder[0] = signer().sign(digest)).run();
      SignedDigest signed = holder[0];
      record(
          DIGEST,
          "journal",
          "WORKFLOW",
          null,
          now,
          Workflow.currentTimeMillis(),
          1,
          "SIGNED",
          Map.of(),
          AuditRecords.digestFacts(signed),
          reason);
    } catch (ActivityFailure e) {
      // The run goes on; verify reports the gap, naming this record.
      record(
          DIGEST,
          "journal",
          "WORKFLOW",
          null,
          now,
          Workflow.currentTimeMillis(),
          1,
          "FAILED",
          Map.of(),
          AuditRecords.digestFacts(new SignedDigest(digest, null, null, null)),
          "the orchestrator could not sign: " + e.getCause().getMessage());
    }
    lastDigest = digest;
  }

  private AuditSigningActivities signer() {
    if (signer == null) {
      signer =
          Workflow.newLocalActivityStub(
              AuditSigningActivities.class,
              LocalActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(10))
                  .setScheduleToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).build())
                  .build());
    }
    return signer;
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

  private static AuditEntry withHash(AuditEntry e, String hash) {
    return new AuditEntry(
        e.runId(),
        e.seq(),
        e.step(),
        e.target(),
        e.executor(),
        e.actor(),
        e.startedAt(),
        e.endedAt(),
        e.attempts(),
        e.outcome(),
        e.before(),
        e.after(),
        e.detail(),
        e.prev(),
        hash);
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
