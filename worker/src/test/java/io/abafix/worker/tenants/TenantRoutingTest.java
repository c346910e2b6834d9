package io.abafix.worker.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.TaskQueues;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.scenario.Scenario;
import io.abafix.worker.Workers;
import io.abafix.workflows.internal.Route;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.Timings;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tenants whose servers have the same names, on one namespace, each server worker wired as in
 * production ({@link Workers}, with the {@link TenantGuard}). A step is sent with one tenant in its
 * header to a chosen queue, as a workflow would send it.
 */
class TenantRoutingTest {
  static final String CONTOSO = "contoso.onmicrosoft.com";
  static final String FABRIKAM = "fabrikam.onmicrosoft.com";
  static final String PROBES = "tenant-routing-probes";

  TestWorkflowEnvironment env;
  Lab contoso;
  Lab fabrikam;
  LabAdapters contosoAdapters;
  LabAdapters fabrikamAdapters;

  /** Sends one pause of SERVERA for {@code stepTenant} to {@code queue}. */
  @WorkflowInterface
  public interface Probe {
    @WorkflowMethod
    String pause(String stepTenant, String queue, boolean tenantQueues);
  }

  public static class ProbeImpl implements Probe {
    @Override
    public String pause(String stepTenant, String queue, boolean tenantQueues) {
      Route route = new Route(TaskQueues.tenantKey(stepTenant), tenantQueues);
      ActivityOptions options =
          ActivityOptions.newBuilder(StepOptions.server(route, "SERVERA", Timings.standard()))
              .setTaskQueue(queue)
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
              .build();
      try {
        Workflow.newActivityStub(SyncServerActivities.class, options).inspectServer("SERVERA");
        return "ran";
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return cause.getType() + " " + cause.isNonRetryable() + " " + cause.getOriginalMessage();
      }
    }
  }

  @BeforeEach
  void start() {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new TenantGuard())
                        .build())
                .build());
    contoso = lab("seed-pair");
    fabrikam = lab("fabrikam-pair");
    contosoAdapters = LabAdapters.start(contoso);
    fabrikamAdapters = LabAdapters.start(fabrikam);
    env.newWorker(PROBES)
        .registerWorkflowImplementationTypes(ProbeImpl.class, NoHeaderProbeImpl.class);
  }

  @AfterEach
  void stop() {
    env.close();
    contosoAdapters.close();
    fabrikamAdapters.close();
  }

  @Test
  void a_worker_of_one_tenant_refuses_another_tenants_step_permanently_and_touches_nothing() {
    Workers.server(
        env.getWorkerFactory(),
        CONTOSO,
        contosoAdapters.host("SERVERA"),
        contoso.identities().guard(false));
    env.start();

    String answer = probe(FABRIKAM, TaskQueues.forServer(CONTOSO, "SERVERA"), true);

    assertTrue(answer.startsWith("abafix.WrongTenant true "), answer);
    assertTrue(
        answer.contains(
            "a step for another tenant reached abafix-server-servera@contoso.onmicrosoft.com, a"
                + " worker of tenant contoso.onmicrosoft.com: refused"),
        answer);
    assertEquals(List.of(), contoso.calls(), "refused before the adapter was called");
    assertTrue(contoso.snapshot().server("SERVERA").syncCycleEnabled(), "nothing changed");
  }

  @Test
  void a_step_that_names_no_tenant_is_refused_on_a_tenants_queue() {
    Workers.server(
        env.getWorkerFactory(),
        CONTOSO,
        contosoAdapters.host("SERVERA"),
        contoso.identities().guard(false));
    env.start();
    String queue = TaskQueues.forServer(CONTOSO, "SERVERA");
    // No header at all: options without the route's propagator.
    String answer =
        env.getWorkflowClient()
            .newWorkflowStub(
                NoHeaderProbe.class, WorkflowOptions.newBuilder().setTaskQueue(PROBES).build())
            .pause(queue);
    assertTrue(answer.startsWith("abafix.WrongTenant"), answer);
    assertTrue(answer.contains("a step that names no tenant"), answer);
    assertEquals(List.of(), contoso.calls());
  }

  @Test
  void each_tenants_step_reaches_its_own_tenants_server_of_the_same_name() {
    Workers.server(
        env.getWorkerFactory(),
        CONTOSO,
        contosoAdapters.host("SERVERA"),
        contoso.identities().guard(false));
    Workers.server(
        env.getWorkerFactory(),
        FABRIKAM,
        fabrikamAdapters.host("SERVERA"),
        fabrikam.identities().guard(false));
    env.start();

    assertEquals("ran", probe(FABRIKAM, TaskQueues.forServer(FABRIKAM, "SERVERA"), true));

    // The probe reads the server (a changing step would need a signed approval besides): the
    // labs record which tenant's adapter each call reached.
    assertEquals(List.of(), contoso.calls(), "contoso's untouched");
    assertFalse(fabrikam.calls().isEmpty());
    assertTrue(fabrikam.calls().stream().allMatch(c -> FABRIKAM.equals(c.tenant())));
  }

  /**
   * What queues without the tenant key would do: fabrikam's step, sent to the tenant-blind queue
   * {@code abafix-server-servera} that contoso's SERVERA polls, reaches contoso's SERVERA. This is
   * the cross-tenant step that tenant routing rules out; only runs from before it use such queues.
   */
  @Test
  void without_the_tenant_key_in_the_queue_one_tenants_step_lands_on_the_other_tenants_server() {
    Workers.serverDraining(
        env.getWorkerFactory(), contosoAdapters.host("SERVERA"), contoso.identities().guard(false));
    env.start();

    assertEquals("ran", probe(FABRIKAM, TaskQueues.forServer("SERVERA"), false));

    assertTrue(
        contoso.calls().stream()
            .anyMatch(
                c -> io.abafix.activities.tenant.StepTenant.digest(FABRIKAM).equals(c.tenant())),
        "contoso's lab recorded fabrikam's step: " + contoso.calls());
    assertTrue(fabrikam.calls().isEmpty());
  }

  @WorkflowInterface
  public interface NoHeaderProbe {
    @WorkflowMethod
    String pause(String queue);
  }

  public static class NoHeaderProbeImpl implements NoHeaderProbe {
    @Override
    public String pause(String queue) {
      ActivityOptions options =
          ActivityOptions.newBuilder()
              .setTaskQueue(queue)
              .setStartToCloseTimeout(java.time.Duration.ofMinutes(1))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
              .build();
      try {
        Workflow.newActivityStub(SyncServerActivities.class, options).inspectServer("SERVERA");
        return "ran";
      } catch (ActivityFailure e) {
        ApplicationFailure cause = (ApplicationFailure) e.getCause();
        return cause.getType() + " " + cause.getOriginalMessage();
      }
    }
  }

  private String probe(String stepTenant, String queue, boolean tenantQueues) {
    return env.getWorkflowClient()
        .newWorkflowStub(Probe.class, WorkflowOptions.newBuilder().setTaskQueue(PROBES).build())
        .pause(stepTenant, queue, tenantQueues);
  }

  private Lab lab(String scenario) {
    return Lab.fromScenario(
        Scenario.fromResource(scenario).withoutLatency(), () -> env.currentTimeMillis());
  }
}
