package io.abafix.workflows.internal;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.VerifiedIdentity;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlanDigest;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Approval gates, for every workflow that asks a person before it acts. A run opens gates ({@link
 * #await}), a person settles each with a decision ({@link #validate}, then {@link #decide}), and
 * the run goes on once every gate is settled, one is rejected, or the deadline passes.
 *
 * <p>A gate is settled exactly once, by the first valid decision or by its timeout, and that is
 * recorded once in the journal. Whatever comes after (a second decision in the same workflow task,
 * whose validator ran before the first handler; a decision that names another gate or one already
 * settled; a decision that arrives as the deadline fires) is refused with a message that says why.
 * The validator refuses what it can before anything reaches the history; the handler checks again,
 * because two validators may run before either handler, and refuses with an {@link
 * ApplicationFailure}, the only exception an update handler may throw without failing the workflow
 * task.
 */
public final class Gates {
  /** The gate name that settles every open gate at once, bound to the plan's digest. */
  public static final String PLAN = "PLAN";

  /** Failure type of a refused decision. */
  public static final String DECISION_REFUSED = "abafix.DecisionRefused";

  /** A gate to open: its step, target, what a person reads, and what its step will act on. */
  public record Request(
      String gate, String target, String description, Map<String, String> parameters) {}

  /**
   * How a gate was settled.
   *
   * @param proof the decider's signed proof, or null (a timeout, a policy, a typed name)
   */
  public record Settled(
      String gate,
      String outcome,
      String by,
      String comment,
      ApprovalProof proof,
      VerifiedIdentity signer) {
    public Settled(String gate, String outcome, String by, String comment) {
      this(gate, outcome, by, comment, null, null);
    }

    public boolean approved() {
      return "APPROVED".equals(outcome);
    }
  }

  static final class Gate {
    final PendingApproval pending;
    final String target;
    Settled settled;

    Gate(PendingApproval pending, String target) {
      this.pending = pending;
      this.target = target;
    }
  }

  private final AuditJournal journal;
  private final LongSupplier clock;
  private final String nothingPending;
  private final String requester;
  private final SignedDecisions.Verifier verifier;
  private String requesterObjectId;
  private final Map<String, Gate> gates = new LinkedHashMap<>();

  /**
   * @param nothingPending the message when no gate is open
   * @param requester who started the run, under the two-person rule; null when it does not apply
   */
  public Gates(AuditJournal journal, LongSupplier clock, String nothingPending, String requester) {
    this(journal, clock, nothingPending, requester, (proof, role, expected) -> null);
  }

  /**
   * @param verifier checks each signed decision as it arrives ({@link SignedDecisions})
   */
  public Gates(
      AuditJournal journal,
      LongSupplier clock,
      String nothingPending,
      String requester,
      SignedDecisions.Verifier verifier) {
    this.journal = journal;
    this.clock = clock;
    this.nothingPending = nothingPending;
    this.requester = requester;
    this.verifier = verifier;
  }

  /**
   * In a workflow: the workflow's clock, and the check of signed decisions by the tenant's
   * directory worker ({@link SignedDecisions#inWorkflow(Route)}).
   */
  public static Gates inWorkflow(
      AuditJournal journal, Route route, String nothingPending, String requester) {
    return new Gates(
        journal,
        Workflow::currentTimeMillis,
        nothingPending,
        requester,
        SignedDecisions.inWorkflow(route));
  }

  /**
   * The requester's verified start: under the two-person rule, an approval signed by the same
   * person ({@code oid}) is refused here, as the workers refuse it.
   */
  public void requesterVerified(VerifiedIdentity requester) {
    if (requester != null) this.requesterObjectId = requester.objectId();
  }

  // ---- the workflow's side ------------------------------------------------------------------

  /**
   * Opens every gate at once and waits until all are settled, one is rejected, or {@code timeout}
   * passes; gates still open then time out (or, after a rejection, are withdrawn). Each gate is
   * recorded once. When the run is cancelled while it waits, the open gates are withdrawn, so a
   * decision that comes later is refused, and the cancellation goes on.
   *
   * @return how each gate was settled, in the order asked
   */
  public List<Settled> await(List<Request> requests, String planDigest, Duration timeout) {
    List<Gate> opened = open(requests, planDigest, timeout);
    try {
      Workflow.await(
          timeout,
          () ->
              opened.stream().allMatch(g -> g.settled != null)
                  || opened.stream().anyMatch(g -> g.settled != null && !g.settled.approved()));
    } finally {
      // Decided here, once: whatever the wait returned, a gate still open is settled now, so a
      // decision racing the deadline or a cancellation finds it settled and is refused.
      boolean rejected = opened.stream().anyMatch(g -> g.settled != null && !g.settled.approved());
      for (Gate g : opened) {
        if (g.settled != null) continue;
        boolean cancelled = CancellationScope.current().isCancelRequested() && !rejected;
        settle(
            g,
            new Settled(
                g.pending.gate(),
                rejected || cancelled ? "WITHDRAWN" : "TIMED_OUT",
                null,
                rejected
                    ? "not needed: another gate was rejected"
                    : cancelled
                        ? "the run was cancelled"
                        : "no decision within " + timeout.toMinutes() + " minutes"),
            Executor.OPERATOR);
      }
    }
    return opened.stream().map(g -> g.settled).toList();
  }

  /** Opens the gates, all with one deadline. Package-private for the gate tests. */
  List<Gate> open(List<Request> requests, String planDigest, Duration timeout) {
    long asked = clock.getAsLong();
    List<Gate> opened = new ArrayList<>();
    for (Request r : requests) {
      Gate g =
          new Gate(
              new PendingApproval(
                  r.gate(),
                  r.description(),
                  asked,
                  asked + timeout.toMillis(),
                  planDigest,
                  r.parameters(),
                  PlanDigest.ofGate(planDigest, r.gate(), r.parameters())),
              r.target());
      gates.put(r.gate(), g);
      opened.add(g);
    }
    return opened;
  }

  /** Settles gates without asking anybody, because the run's policy says so; recorded as such. */
  public List<Settled> byPolicy(List<Request> requests, String planDigest, String why) {
    long at = clock.getAsLong();
    List<Settled> out = new ArrayList<>();
    for (Request r : requests) {
      Gate g =
          new Gate(
              new PendingApproval(
                  r.gate(),
                  r.description(),
                  at,
                  at,
                  planDigest,
                  r.parameters(),
                  PlanDigest.ofGate(planDigest, r.gate(), r.parameters())),
              r.target());
      gates.put(r.gate(), g);
      settle(g, new Settled(r.gate(), "APPROVED", "policy", why), Executor.WORKFLOW);
      out.add(g.settled);
    }
    return out;
  }

  /** The gates open now, oldest first. */
  public List<PendingApproval> pending() {
    return gates.values().stream().filter(g -> g.settled == null).map(g -> g.pending).toList();
  }

  /** The digest an open or settled gate showed, or null when there is no such gate. */
  public String digestOf(String gate) {
    Gate g = gates.get(gate);
    return g == null ? null : g.pending.digest();
  }

  // ---- the person's side --------------------------------------------------------------------

  /** The update validator: refuses a decision that cannot settle anything, before the history. */
  public void validate(ApprovalRequest r) {
    String refusal = refusal(r);
    if (refusal != null) throw new IllegalArgumentException(refusal);
  }

  /**
   * The update handler: settles the gate (or, for {@link #PLAN}, every open gate) the decision
   * names, and records it.
   *
   * @return what was settled, e.g. {@code REVERT_TO_SERVICE_ACCOUNT@SERVERA}
   * @throws ApplicationFailure {@link #DECISION_REFUSED} when the decision no longer settles
   *     anything (a decision settled it first, or its deadline did)
   */
  public String decide(ApprovalRequest r) {
    String refusal = refusal(r);
    if (refusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(refusal, DECISION_REFUSED);
    }
    VerifiedIdentity who;
    try {
      who = verifier.verify(r.proof(), r.approve(), b -> bindingRefusal(r, b));
    } catch (ApplicationFailure refused) {
      // Recorded: an audit shows who tried to decide and why it did not count.
      refused(r, refused.getOriginalMessage());
      throw refused;
    }
    if (who != null) {
      // The check took time: the gate may have been settled (or timed out) meanwhile.
      refusal = refusal(r);
      if (refusal == null
          && r.approve()
          && ((requesterObjectId != null && requesterObjectId.equals(who.objectId()))
              // A run an incident started names the proposal's verified approver as requester.
              || (requester != null && requester.trim().equalsIgnoreCase(who.label())))) {
        refusal = "two-person rule: " + who.upn() + " started this run and cannot approve it";
      }
      if (refusal != null) {
        refused(r, refusal);
        throw ApplicationFailure.newNonRetryableFailure(refusal, DECISION_REFUSED);
      }
    }
    List<Gate> targets = targets(r.gate());
    for (Gate g : targets) {
      settle(
          g,
          new Settled(
              g.pending.gate(),
              r.approve() ? "APPROVED" : "REJECTED",
              who == null ? r.by() : who.label(),
              (r.comment() == null ? "" : r.comment())
                  + (PLAN.equals(r.gate()) ? " (the whole plan, " + short12(r.digest()) + ")" : "")
                  + (r.proof() == null || who != null ? "" : " [signed in]"),
              r.proof(),
              who),
          Executor.OPERATOR);
    }
    return String.join(", ", targets.stream().map(g -> g.pending.gate()).toList());
  }

  private final List<String> refusals = new ArrayList<>();

  /** The signed decisions refused so far, each with why: what a run that was not approved says. */
  public List<String> refusals() {
    return List.copyOf(refusals);
  }

  private void refused(ApprovalRequest r, String why) {
    refusals.add(why);
    journal
        .entry("APPROVAL_REFUSED")
        .target(r.gate() == null ? "" : r.gate().trim())
        .executor(Executor.OPERATOR.name())
        .actor(r.by())
        .at(clock.getAsLong())
        .outcome("REFUSED")
        .detail(why)
        .record();
  }

  /** Why a decision is refused, or null when it settles something. */
  private String refusal(ApprovalRequest r) {
    if (r == null || (r.proof() == null && (r.by() == null || r.by().isBlank()))) {
      return "sign in to decide (abafix approve signs you in with Entra ID)";
    }
    List<PendingApproval> open = pending();
    if (r.gate() == null || r.gate().isBlank()) {
      return "name the gate you decide (--step S --server X, or --gate "
          + PLAN
          + " for all of them)"
          + (open.isEmpty() ? "" : "; open: " + names(open));
    }
    String name = r.gate().trim();
    if (!PLAN.equalsIgnoreCase(name)) {
      Gate g = find(name);
      if (g == null) {
        return open.isEmpty()
            ? nothingPending + " (no gate " + name + ")"
            : "this run has no gate " + name + "; open: " + names(open);
      }
      if (g.settled != null) {
        return g.pending.gate()
            + " is already settled: "
            + g.settled.outcome()
            + (g.settled.by() == null ? "" : " by " + g.settled.by())
            + "; this decision changes nothing";
      }
      if (r.approve() && !PlanDigest.matches(g.pending.digest(), r.digest())) {
        return "the approval of "
            + g.pending.gate()
            + " does not name what it approves: give its digest "
            + short12(g.pending.digest())
            + (r.digest() == null ? "" : ", not " + r.digest())
            + " (abafix status shows the command, with what the step will change)";
      }
    } else {
      if (open.isEmpty()) return nothingPending;
      if (r.approve() && !PlanDigest.matches(open.get(0).planDigest(), r.digest())) {
        return "the approval of the whole plan must name the plan's digest "
            + short12(open.get(0).planDigest())
            + (r.digest() == null ? "" : ", not " + r.digest());
      }
    }
    if (r.approve()
        && requester != null
        && r.by() != null
        && r.by().trim().equalsIgnoreCase(requester.trim())) {
      return "two-person rule: " + r.by() + " started this run and cannot approve it";
    }
    return null;
  }

  /**
   * Why the signed decision does not fit the gate it names as the run shows that gate now (what the
   * person signed must be what the gate asks), or null when it does.
   */
  private String bindingRefusal(ApprovalRequest r, DecisionBinding signed) {
    DecisionBinding now;
    try {
      now =
          DecisionScope.binding(
              signed.namespace(),
              signed.workflowId(),
              signed.runId(),
              r.gate().trim(),
              pending(),
              r.approve());
    } catch (IllegalArgumentException e) {
      return "no open gate " + r.gate();
    }
    if (now.equals(signed)) return null;
    return "the sign-in was made for "
        + signed.decision()
        + " "
        + signed.gate()
        + " "
        + signed.parameters()
        + " (plan "
        + short12(signed.planDigest())
        + "), not for "
        + now.decision()
        + " "
        + now.gate()
        + " "
        + now.parameters()
        + " (plan "
        + short12(now.planDigest())
        + "): sign in again";
  }

  private List<Gate> targets(String name) {
    if (PLAN.equalsIgnoreCase(name.trim())) {
      return gates.values().stream().filter(g -> g.settled == null).toList();
    }
    return List.of(find(name.trim()));
  }

  private Gate find(String name) {
    for (Gate g : gates.values()) {
      if (g.pending.gate().equalsIgnoreCase(name)) return g;
    }
    return null;
  }

  private void settle(Gate g, Settled s, Executor executor) {
    g.settled = s;
    Map<String, String> after = new LinkedHashMap<>(g.pending.parameters());
    after.put("gate", g.pending.gate());
    after.put("digest", g.pending.digest());
    if (s.signer() != null) {
      after.put("signedInAs", s.signer().upn());
      after.put("objectId", s.signer().objectId());
      after.put("tenantId", s.signer().tenantId());
      after.put("signedInAt", s.signer().issuedAt().toString());
    }
    journal
        .entry("APPROVAL")
        .target(g.target)
        .executor(executor.name())
        .actor(s.by())
        .between(g.pending.requestedAt(), clock.getAsLong())
        .outcome(s.outcome())
        .after(after)
        .detail(s.comment() == null ? "" : s.comment().strip())
        .record();
  }

  private static String names(List<PendingApproval> open) {
    return String.join(", ", open.stream().map(PendingApproval::gate).toList());
  }

  private static String short12(String digest) {
    return digest == null ? "(none)" : digest.substring(0, Math.min(12, digest.length()));
  }

  /** The gate's name as the CLI spells it: {@code STEP@TARGET}. */
  public static String name(String step, String target) {
    return step.toUpperCase(Locale.ROOT) + "@" + target;
  }
}
