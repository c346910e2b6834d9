package io.abafix.workflows;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.port.Directory;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * A Temporal test environment wired to a lab the way production is: one worker per task queue, the
 * server workers over the production PowerShell adapter (on the fake runner) and the directory
 * worker over the production Graph adapter (on the fake Entra endpoint). The lab's clock is the
 * environment's, so skipped time is the lab's time too.
 */
final class LabHarness implements AutoCloseable {
  /** The orchestrator's audit signing key, a throwaway one per harness. */
  final java.security.KeyPair auditKeys = AuditSigning.newKeyPair();

  static final String CREDENTIAL = "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  /**
   * Lab users (see {@link io.abafix.lab.signin.LabIdentityProvider}): carol starts, alice approves.
   */
  static final String REQUESTER = "carol";

  static final String APPROVER = "alice";

  /** How long the operator waits between looks; virtual time when time skipping is on. */
  private final Duration pollInterval;

  final TestWorkflowEnvironment env;
  final Lab lab;
  final LabAdapters adapters;
  final WorkflowClient client;

  private LabHarness(Builder b) {
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder().setUseTimeskipping(b.timeSkipping);
    if (b.dataConverter != null) {
      options.setWorkflowClientOptions(
          WorkflowClientOptions.newBuilder().setDataConverter(b.dataConverter).build());
    }
    this.env = TestWorkflowEnvironment.newInstance(options.build());
    this.pollInterval = b.timeSkipping ? Duration.ofSeconds(30) : Duration.ofMillis(100);
    this.lab = Lab.fromScenario(b.scenario, env::currentTimeMillis);
    this.adapters = LabAdapters.start(lab);
    Worker orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
    orchestrator.registerWorkflowImplementationTypes(SharedAppRemediationWorkflowImpl.class);
    orchestrator.registerActivitiesImplementations(AuditSigning.of(auditKeys));
    env.newWorker(TaskQueues.directory(lab.tenantDomain()))
        .registerActivitiesImplementations(
            new DirectoryActivitiesImpl(
                b.directory == null ? adapters.directory() : b.directory.apply(adapters),
                lab.identities().guard(b.twoPerson)),
            lab.identities().guard(b.twoPerson).decisionCheck());
    for (String server : lab.serverNames()) {
      if (b.withoutWorker.contains(server)) continue;
      Worker worker = env.newWorker(TaskQueues.forServer(lab.tenantDomain(), server));
      worker.registerActivitiesImplementations(
          new SyncServerActivitiesImpl(adapters.host(server), lab.identities().guard(b.twoPerson)));
    }
    env.start();
    this.client = env.getWorkflowClient();
  }

  /** A shipped scenario without step latencies, with time skipping. */
  static LabHarness of(String scenario) {
    return of(scenario(scenario));
  }

  /** Any scenario, with time skipping. */
  static LabHarness of(Scenario scenario) {
    return builder(scenario).start();
  }

  static Builder builder(Scenario scenario) {
    return new Builder(scenario);
  }

  /** Options for a harness other than the usual one. */
  static final class Builder {
    private final Scenario scenario;
    private boolean timeSkipping = true;
    private Function<LabAdapters, Directory> directory;
    private final Set<String> withoutWorker = new HashSet<>();
    private boolean twoPerson;
    private DataConverter dataConverter;

    private Builder(Scenario scenario) {
      this.scenario = scenario;
    }

    /** Real time instead of skipped time. */
    Builder inRealTime() {
      this.timeSkipping = false;
      return this;
    }

    /** The directory worker uses this {@link Directory}, built over the adapters. */
    Builder directory(Function<LabAdapters, Directory> directory) {
      this.directory = directory;
      return this;
    }

    /** No worker polls this server's task queue, as when its worker was never started. */
    Builder withoutWorkerFor(String server) {
      withoutWorker.add(server.toUpperCase(Locale.ROOT));
      return this;
    }

    /** The workers enforce the two-person rule: a signed start, and an approver who differs. */
    Builder twoPersonWorkers() {
      this.twoPerson = true;
      return this;
    }

    /** Every client and worker encrypts its payloads with {@code codec}, as in production. */
    Builder encryptedWith(AesGcmPayloadCodec codec) {
      this.dataConverter = PayloadEncryption.dataConverter(codec);
      return this;
    }

    LabHarness start() {
      return new LabHarness(this);
    }
  }

  static Scenario scenario(String name) {
    return Scenario.fromResource(name).withoutLatency();
  }

  /** The standard request for every server of the lab, approvals required. */
  RemediationRequest request() {
    return request(false, new ApprovalPolicy(true, false, 3600), Timings.standard());
  }

  RemediationRequest dryRun() {
    return request(true, new ApprovalPolicy(true, false, 3600), Timings.standard());
  }

  RemediationRequest request(boolean dryRun, ApprovalPolicy approvals, Timings timings) {
    return new RemediationRequest(
        lab.tenantDomain(),
        lab.serverNames(),
        CREDENTIAL,
        null,
        dryRun,
        approvals,
        timings,
        REQUESTER);
  }

  /** {@code abafix confirm} on {@code stub}'s run, signed in as the lab user {@code user}. */
  String signedConfirm(SharedAppRemediationWorkflow stub, String user, String step, String server) {
    var execution = WorkflowStub.fromTyped(stub).getExecution();
    var open = stub.progress().pendingOperatorStep();
    String gate = open == null ? step + "@" + server : open.gate();
    DecisionBinding binding =
        DecisionBinding.confirm(
            client.getOptions().getNamespace(),
            execution.getWorkflowId(),
            chainOf(execution),
            gate);
    ApprovalProof proof =
        lab.identities()
            .user(user)
            .map(u -> ApprovalProof.of(lab.identities().idToken(u.upn(), binding.nonce()), binding))
            .orElse(null);
    return stub.confirm(new ConfirmRequest(step, server, user, proof));
  }

  /** The first run of the execution's chain, which decisions bind, as the server recorded it. */
  String chainOf(io.temporal.api.common.v1.WorkflowExecution execution) {
    try {
      return io.abafix.activities.approval.TemporalStartedRuns.firstRunId(
          client,
          client.getOptions().getNamespace(),
          execution.getWorkflowId(),
          execution.getRunId());
    } catch (io.abafix.activities.approval.ProofRefusedException e) {
      throw new AssertionError(e);
    }
  }

  /** Starts a run with a start of its own, unsigned (one person may approve). */
  Run start(RemediationRequest request) {
    return startAs(request, null);
  }

  /**
   * Starts a run the way {@code abafix remediate} does: a start record of its own, signed in as the
   * lab user {@code user} when one is named, with the request's two-person rule in it.
   */
  Run startAs(RemediationRequest request, String user) {
    String id = WorkflowIds.remediation(request.tenant());
    boolean twoPerson = request.approvals().twoPerson();
    io.abafix.activities.approval.RunStart start =
        io.abafix.activities.approval.RunStart.unsigned(
            io.abafix.activities.approval.RunStart.newStartId(), twoPerson);
    if (user != null) {
      String ns = client.getOptions().getNamespace();
      start =
          start.signedWith(
              lab.identities()
                  .idToken(
                      user,
                      io.abafix.activities.approval.RunStart.binding(
                              ns, id, start.startId(), twoPerson)
                          .nonce()),
              ns,
              id);
    }
    return startExactly(request.startedAs(start));
  }

  /** Starts a run with exactly this request, start record and all (or none). */
  Run startExactly(RemediationRequest request) {
    String id = WorkflowIds.remediation(request.tenant());
    SharedAppRemediationWorkflow stub =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    WorkflowClient.start(stub::remediate, request);
    WorkflowStub untyped = client.newUntypedWorkflowStub(id);
    return new Run(stub, untyped.getResultAsync(RemediationResult.class));
  }

  /** Starts a run and approves every gate as {@link #APPROVER} until it ends. */
  Finished runApprovingEverything(RemediationRequest request) {
    return start(request).drive(Operator.approvingAs(APPROVER));
  }

  @Override
  public void close() {
    try {
      env.close();
    } finally {
      adapters.close();
    }
  }

  /** What the operator does when a gate is pending: a decision, or null to leave it waiting. */
  @FunctionalInterface
  interface Operator {
    ApprovalRequest decide(PendingApproval pending);

    static Operator approvingAs(String name) {
      return p -> new ApprovalRequest(p.gate(), name, true, "looks right", p.digest());
    }

    static Operator nobody() {
      return p -> null;
    }
  }

  /** A run in progress, driven the way the CLI follows one: by query, update and waiting. */
  final class Run {
    final SharedAppRemediationWorkflow stub;
    private final CompletableFuture<RemediationResult> result;

    private Run(SharedAppRemediationWorkflow stub, CompletableFuture<RemediationResult> result) {
      this.stub = stub;
      this.result = result;
    }

    /**
     * Until the run ends: looks at its progress, lets the operator decide a pending gate, and
     * otherwise lets time pass. Never blocks on the result while a gate may be pending, since time
     * skipping would then fire the approval timeout.
     */
    Finished drive(Operator operator) {
      for (int looks = 0; looks < 5_000; looks++) {
        if (result.isDone()) return finished();
        PendingApproval pending = stub.progress().pendingApproval();
        ApprovalRequest decision = pending == null ? null : operator.decide(pending);
        if (decision != null) {
          stub.decide(signed(decision, pending));
          continue;
        }
        if (result.isDone()) return finished();
        env.sleep(firstLooksShort(looks));
      }
      throw new AssertionError("the run did not end; progress: " + stub.progress());
    }

    /**
     * The decision with the proof the CLI would attach: an ID token of the lab user it names, whose
     * nonce binds this run, the gate, the plan and the parameters. A name that is no lab user stays
     * a typed name without a proof.
     */
    ApprovalRequest signed(ApprovalRequest d, PendingApproval pending) {
      if (d.proof() != null) return d;
      return lab.identities()
          .user(d.by())
          .map(
              user -> {
                DecisionBinding binding =
                    DecisionScope.PLAN.equalsIgnoreCase(d.gate())
                        ? planBinding(pending, d.approve())
                        : bindingOf(pending, d.approve());
                String token = lab.identities().idToken(user.upn(), binding.nonce());
                return new ApprovalRequest(
                    d.gate(),
                    d.by(),
                    d.approve(),
                    d.comment(),
                    d.digest(),
                    ApprovalProof.of(token, binding));
              })
          .orElse(d);
    }

    /** What a decision on {@code pending}, open or not, in this run binds. */
    DecisionBinding bindingOf(PendingApproval pending, boolean approve) {
      WorkflowExecution execution = WorkflowStub.fromTyped(stub).getExecution();
      return DecisionScope.binding(
          client.getOptions().getNamespace(),
          execution.getWorkflowId(),
          chainOf(execution),
          pending.gate(),
          List.of(pending),
          approve);
    }

    /**
     * What a decision on the whole plan binds: over the gates open now, or, when they have just
     * closed (a decision racing the deadline), over the gate the person saw.
     */
    DecisionBinding planBinding(PendingApproval seen, boolean approve) {
      List<PendingApproval> open = stub.progress().pendingApprovals();
      WorkflowExecution execution = WorkflowStub.fromTyped(stub).getExecution();
      return DecisionScope.binding(
          client.getOptions().getNamespace(),
          execution.getWorkflowId(),
          chainOf(execution),
          DecisionScope.PLAN,
          open.isEmpty() ? List.of(seen) : open,
          approve);
    }

    /** What a decision on {@code gate} (or {@code PLAN}) in this run binds. */
    DecisionBinding binding(String gate, boolean approve) {
      WorkflowExecution execution = WorkflowStub.fromTyped(stub).getExecution();
      return DecisionScope.binding(
          client.getOptions().getNamespace(),
          execution.getWorkflowId(),
          chainOf(execution),
          gate,
          stub.progress().pendingApprovals(),
          approve);
    }

    /**
     * Confirms an operator step the way {@code abafix confirm} does, signed in as {@code user}; a
     * name that is no lab user confirms unsigned, which the run refuses.
     */
    String confirmAs(String user, String step, String server) {
      return signedConfirm(stub, user, step, server);
    }

    /** Cancels the run the way {@code abafix cancel} does: the reason, then the cancellation. */
    void cancel(String reason) {
      stub.explainCancellation(new io.abafix.workflows.model.CancelRequest(reason, "carol"));
      client.newUntypedWorkflowStub(WorkflowIds.remediation(lab.tenantDomain())).cancel(reason);
    }

    /** Approves gates as {@code approver} and lets time pass until {@code until} holds. */
    void driveUntil(Operator operator, java.util.function.BooleanSupplier until) {
      for (int looks = 0; looks < 5_000 && !until.getAsBoolean(); looks++) {
        if (result.isDone()) throw new AssertionError("the run ended first: " + finished());
        PendingApproval pending = stub.progress().pendingApproval();
        ApprovalRequest decision = pending == null ? null : operator.decide(pending);
        if (decision != null) {
          stub.decide(signed(decision, pending));
          continue;
        }
        env.sleep(firstLooksShort(looks));
      }
    }

    /** Waits one poll interval (skipped time, when time skipping is on). */
    void waitAWhile() {
      env.sleep(pollInterval);
    }

    /**
     * The poll interval, but much shorter for the first looks, growing to it. Workaround: when a
     * run fails while some of its activities are still running (one preflight read fails while the
     * others are in flight), the test server refuses their late results and keeps time skipping
     * locked, so a skipped sleep then lasts its whole length in real time. Short first looks keep
     * that to a fraction of a second. A test server that releases the lock would remove this.
     */
    private Duration firstLooksShort(int looks) {
      Duration shortest = pollInterval.dividedBy(256);
      return looks >= 8 ? pollInterval : shortest.multipliedBy(1L << looks);
    }

    boolean isDone() {
      return result.isDone();
    }

    private Finished finished() {
      try {
        return new Finished(result.get(), null, stub.audit());
      } catch (ExecutionException | CompletionException e) {
        if (e.getCause() instanceof WorkflowFailedException failed) {
          return new Finished(null, failed, stub.audit());
        }
        throw new AssertionError("the run ended unexpectedly", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  /**
   * How a run ended: its result, or the failure it ended with; and its journal either way.
   *
   * @param result null when the run failed
   * @param failure null when the run completed
   */
  record Finished(
      RemediationResult result, WorkflowFailedException failure, List<AuditEntry> audit) {
    RemediationResult succeeded() {
      if (failure != null) throw new AssertionError("the run failed", failure);
      return result;
    }

    WorkflowFailedException failed() {
      if (failure == null) {
        throw new AssertionError("the run did not fail but ended " + result.outcome());
      }
      return failure;
    }
  }
}
