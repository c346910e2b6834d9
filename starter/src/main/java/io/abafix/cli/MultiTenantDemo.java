package io.abafix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.lab.signin.LabIdentityProvider;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.Workers;
import io.abafix.worker.tenants.Tenant;
import io.abafix.worker.tenants.TenantsFile;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Several lab tenants remediated at once from one deployment: one Temporal server (embedded, or at
 * an address), one orchestrator, one directory deployment serving every tenant with that tenant's
 * own sign-in, and each tenant's servers on that tenant's queues. Servers of different tenants may
 * have the same names. {@code abafix demo --scenario A --scenario B} runs this; so can a benchmark,
 * with as many tenants as it likes ({@link #run(List, Options)}).
 */
public final class MultiTenantDemo {
  private MultiTenantDemo() {}

  /**
   * @param progress where each tenant's journal lines go as they happen, prefixed with the tenant;
   *     null to follow quietly (one query a poll per tenant, for many tenants)
   * @param approvalPoll how often a run's pending approvals are looked at and granted
   * @param pollersPerQueue activity pollers of each lab tenant's directory and server workers
   * @param address a Temporal at HOST:PORT; null for an embedded one of this run's own
   * @param codec the payload key of every client and worker, so that other abafix commands with the
   *     same key can read the runs; null for a throwaway key of this run's own
   */
  public record Options(
      PrintWriter progress,
      Duration approvalPoll,
      int pollersPerQueue,
      String address,
      AesGcmPayloadCodec codec) {
    public Options {
      if (approvalPoll == null) approvalPoll = Duration.ofMillis(200);
      if (pollersPerQueue < 1) pollersPerQueue = 1;
    }

    /** Quiet, on an embedded Temporal, approvals answered every 200 ms. */
    public static Options quiet() {
      return new Options(null, null, 1, null, null);
    }

    public Options withProgress(PrintWriter out) {
      return new Options(out, approvalPoll, pollersPerQueue, address, codec);
    }

    public Options withApprovalPoll(Duration poll) {
      return new Options(progress, poll, pollersPerQueue, address, codec);
    }

    public Options withAddress(String hostPort) {
      return new Options(progress, approvalPoll, pollersPerQueue, hostPort, codec);
    }

    public Options withCodec(AesGcmPayloadCodec key) {
      return new Options(progress, approvalPoll, pollersPerQueue, address, key);
    }
  }

  /**
   * What one tenant's run came to.
   *
   * @param tenant the tenant's key (its queues carry it)
   * @param runId the remediation's workflow id
   * @param end the tenant's lab after the run
   * @param calls every call the tenant's lab received, each with the tenant of the step it came for
   * @param took from the start of this tenant's run to its end
   */
  public record TenantSummary(
      String tenant,
      String scenario,
      String runId,
      Outcome outcome,
      String message,
      LabSnapshot end,
      List<AuditEntry> audit,
      List<Lab.Call> calls,
      Duration took) {

    /** One JSON object on one line: the tenant, its outcome, its servers and apps. */
    public String json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("tenant", tenant);
      m.put("scenario", scenario);
      m.put("runId", runId);
      m.put("outcome", outcome.name());
      m.put("message", message);
      m.put("servers", DemoCommand.servers(end));
      m.put("applications", DemoCommand.applications(end));
      try {
        return new ObjectMapper().writeValueAsString(m);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * @param tenants in the order the scenarios were given
   * @param wallTime from the first run's start to the last one's end
   * @param auditPublicKey verifies the journals the orchestrator signed (a throwaway key)
   */
  public record Result(
      List<TenantSummary> tenants, Duration wallTime, java.security.PublicKey auditPublicKey) {
    public boolean allSucceeded() {
      return tenants.stream().allMatch(t -> t.outcome() == Outcome.SUCCEEDED);
    }
  }

  /** Runs each scenario's tenant at once, with the lab on the system clock. */
  public static Result run(List<Scenario> scenarios, Options options) {
    List<Lab> labs = new ArrayList<>();
    for (Scenario s : scenarios) labs.add(Lab.fromScenario(s, System::currentTimeMillis));
    return runLabs(labs, options);
  }

  /**
   * Runs a tenant per lab, at once. The labs must name different tenants.
   *
   * @throws IllegalArgumentException when two labs name one tenant
   */
  public static Result runLabs(List<Lab> labs, Options options) {
    Set<String> keys = new HashSet<>();
    for (Lab lab : labs) {
      if (!keys.add(TaskQueues.tenantKey(lab.tenantDomain()))) {
        throw new IllegalArgumentException(
            "two scenarios are in tenant "
                + lab.tenantDomain()
                + ": give each tenant one scenario (a tenant runs one remediation at a time)");
      }
    }
    EmbeddedTemporal embedded = options.address() == null ? EmbeddedTemporal.start(0) : null;
    String address = embedded != null ? embedded.address() : options.address();
    WorkflowClient client =
        TemporalConnection.at(
            address, options.codec() != null ? options.codec() : PayloadEncryption.ephemeral());
    WorkerFactory factory = Workers.factory(client);
    // Each tenant's servers are machines of their own: a factory each, as a process each would be.
    List<WorkerFactory> serverFactories = new ArrayList<>();
    LabAdapters[] labAdapters = new LabAdapters[labs.size()];
    ExecutorService followers = Executors.newFixedThreadPool(Math.max(1, labs.size()));
    KeyPair auditKeys = AuditSigning.newKeyPair();
    try {
      // Each tenant's adapters make its directory worker's certificate (an RSA key): on every core.
      java.util.stream.IntStream.range(0, labs.size())
          .parallel()
          .forEach(i -> labAdapters[i] = LabAdapters.start(labs.get(i)));
      List<LabAdapters> adapters = List.of(labAdapters);
      TenantsFile deployment = tenantsFile(labs);
      Workers.orchestrator(factory, AuditSigning.of(auditKeys), deployment.incidentRules());
      WorkerOptions lean =
          WorkerOptions.newBuilder()
              .setMaxConcurrentActivityTaskPollers(options.pollersPerQueue())
              .build();
      for (int i = 0; i < labs.size(); i++) {
        Lab lab = labs.get(i);
        LabAdapters a = adapters.get(i);
        String tenant = lab.tenantDomain();
        Tenant listed = deployment.find(tenant).orElseThrow();
        // Each tenant's workers trust that tenant's approvers, as its tenants-file entry says.
        ApprovalGuard guard =
            new ApprovalGuard(
                new IdTokenVerifier(
                    listed.policy().approvers().over(null, listed.policy().twoPerson()),
                    lab.identities().keySource(),
                    java.time.Clock.systemUTC()),
                io.abafix.activities.approval.ApprovalLedger.inMemory());
        Workers.directory(
            factory,
            listed,
            a.directory(),
            guard,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityTaskPollers(options.pollersPerQueue()));
        WorkerFactory servers = Workers.factory(client);
        serverFactories.add(servers);
        a.hosts().forEach(host -> Workers.server(servers, tenant, host, guard, lean));
      }
      factory.start();
      serverFactories.forEach(WorkerFactory::start);

      long started = System.nanoTime();
      List<Future<TenantSummary>> runs = new ArrayList<>();
      for (int i = 0; i < labs.size(); i++) {
        Lab lab = labs.get(i);
        AutoApprover approver =
            DemoEnvironment.approverIn(lab, adapters.get(i), DemoCommand.DEMO_APPROVER);
        RemediationRequest request = request(lab);
        String id = RemediateCommand.start(client, request);
        PrintWriter out =
            options.progress() == null
                ? null
                : new PrintWriter(new TenantLines(options.progress(), lab.tenantDomain()), true);
        runs.add(followers.submit(() -> follow(client, lab, id, out, approver, options)));
      }
      List<TenantSummary> summaries = new ArrayList<>();
      for (Future<TenantSummary> f : runs) summaries.add(f.get());
      return new Result(
          List.copyOf(summaries),
          Duration.ofNanos(System.nanoTime() - started),
          auditKeys.getPublic());
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the tenants' runs went on", e);
    } finally {
      followers.shutdownNow();
      serverFactories.forEach(WorkerFactory::shutdownNow);
      factory.shutdownNow();
      factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      for (WorkerFactory f : serverFactories) {
        f.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
      }
      client.getWorkflowServiceStubs().shutdownNow();
      client.getWorkflowServiceStubs().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
      for (LabAdapters a : labAdapters) {
        if (a != null) a.close();
      }
      if (embedded != null) embedded.close();
    }
  }

  private static TenantSummary follow(
      WorkflowClient client,
      Lab lab,
      String id,
      PrintWriter out,
      AutoApprover approver,
      Options options) {
    long started = System.nanoTime();
    Outcome outcome;
    String message;
    List<AuditEntry> audit;
    try {
      RemediationResult result =
          out != null
              ? new RunFollower(client, id, out, approver, options.approvalPoll()).follow()
              : approveUntilDone(client, id, approver, options.approvalPoll());
      outcome = result.outcome();
      message = result.message();
      audit = result.audit();
    } catch (WorkflowFailedException e) {
      SharedAppRemediationWorkflow ended =
          client.newWorkflowStub(SharedAppRemediationWorkflow.class, id);
      outcome = ClosedRun.outcome(e, () -> ended.progress().outcome());
      message = ErrorHandler.rootMessage(e);
      audit = ClosedRun.journal(ended::audit);
    }
    if (out != null) {
      out.println("outcome: " + outcome + ": " + message);
      out.flush();
    }
    return new TenantSummary(
        TaskQueues.tenantKey(lab.tenantDomain()),
        lab.scenario().name(),
        id,
        outcome,
        message,
        lab.snapshot(),
        audit,
        lab.calls(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /**
   * Grants the run's plan when it asks, with one sign-in for every gate open then (as {@code abafix
   * decision --gate PLAN} does), and waits for the run's end; the journal comes with the result.
   *
   * <p>Each look is a query, which the orchestrator answers in a workflow task of its own: with
   * hundreds of runs at once, looks every {@code poll} would keep it busier than the runs do. So
   * once the plan is decided, the run is looked at only every {@link #LOOKS_AFTER_A_DECISION}
   * polls, in case it asks again.
   */
  private static RemediationResult approveUntilDone(
      WorkflowClient client, String id, AutoApprover approver, Duration poll) {
    Decisions.Pinned pinned = Decisions.pin(client, id);
    SharedAppRemediationWorkflow run = pinned.stub();
    CompletableFuture<RemediationResult> result =
        client.newUntypedWorkflowStub(id).getResultAsync(RemediationResult.class);
    Duration wait = poll;
    while (!result.isDone()) {
      try {
        List<PendingApproval> open = run.progress().pendingApprovals();
        if (!open.isEmpty()) {
          pinned.decidePlan(
              open, true, approver.user(), "approved automatically by the demo", approver.signer());
          wait = poll.multipliedBy(LOOKS_AFTER_A_DECISION);
        }
      } catch (WorkflowServiceException | WorkflowUpdateException busyOrSettled) {
        // A query or decision the orchestrator could not answer in time (many tenants at once),
        // or a gate settled meanwhile: the next look sees what is pending now.
      }
      try {
        result.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        // Look again.
      } catch (java.util.concurrent.ExecutionException ended) {
        break;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while following " + id, e);
      }
    }
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  /** How many polls apart the looks at a run are once its plan is decided. */
  static final int LOOKS_AFTER_A_DECISION = 20;

  /** The demo's request for a lab's tenant: every server, the scenario's credential reference. */
  static RemediationRequest request(Lab lab) {
    String credential =
        lab.scenario().servers().stream()
            .flatMap(s -> s.credentialReferences().stream())
            .findFirst()
            .orElse(null);
    return new RemediationRequest(
        lab.tenantDomain(),
        lab.serverNames(),
        credential,
        null,
        false,
        new ApprovalPolicy(true, false, 3600),
        // Every worker is in this process: a step waiting minutes for one means a busy machine,
        // not a missing worker, so the wait for a worker is longer than the one-tenant demo's.
        new Timings(120, 1, 120, 300),
        "demo");
  }

  /** The deployment's tenants file, as an MSP would write it for these tenants. */
  static TenantsFile tenantsFile(List<Lab> labs) {
    return new TenantsFile(labs.stream().map(MultiTenantDemo::tenant).toList());
  }

  private static Tenant tenant(Lab lab) {
    return new Tenant(
        lab.tenantDomain(),
        lab.scenario().name(),
        null,
        new Tenant.Graph(LabAdapters.DIRECTORY_WORKER_CLIENT_ID, "lab:directory-worker.pem", null),
        new Tenant.Policy(
            null,
            new Tenant.Approvers(
                lab.identities().tenantId(),
                LabIdentityProvider.ABAFIX_CLIENT_ID,
                ApprovalTrust.DEFAULT_APPROVER_ROLE,
                null),
            false),
        null);
  }

  /** Writes whole lines, each prefixed with the tenant, into a writer the tenants share. */
  private static final class TenantLines extends Writer {
    private final PrintWriter shared;
    private final String prefix;
    private final StringBuilder line = new StringBuilder();

    TenantLines(PrintWriter shared, String tenant) {
      this.shared = shared;
      this.prefix = "[" + tenant + "] ";
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          synchronized (shared) {
            shared.println(prefix + line);
            shared.flush();
          }
          line.setLength(0);
        } else if (c != '\r') {
          line.append(c);
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
