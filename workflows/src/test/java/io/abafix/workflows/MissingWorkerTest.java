package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MissingWorkerTest {
  private TestWorkflowEnvironment env;
  private Lab lab;
  private LabAdapters adapters;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), env::currentTimeMillis);
    adapters = LabAdapters.start(lab);
    env.newWorker(TaskQueues.ORCHESTRATOR)
        .registerWorkflowImplementationTypes(SharedAppRemediationWorkflowImpl.class);
    env.newWorker(TaskQueues.DIRECTORY)
        .registerActivitiesImplementations(new DirectoryActivitiesImpl(adapters.directory()));
    // Only SERVERA's worker runs: nobody polls abafix-server-serverb.
    env.newWorker(TaskQueues.forServer("SERVERA"))
        .registerActivitiesImplementations(new SyncServerActivitiesImpl(adapters.host("SERVERA")));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    adapters.close();
  }

  @Test
  void a_server_without_a_worker_makes_the_run_wait_until_the_deadline_then_names_the_worker() {
    WorkflowClient client = env.getWorkflowClient();
    String id = WorkflowIds.remediation(lab.tenantDomain());
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    LabSnapshot before = lab.snapshot();
    WorkflowClient.start(
        run::remediate,
        new RemediationRequest(
            lab.tenantDomain(),
            lab.serverNames(),
            "clixml:C:\\x.xml",
            null,
            false,
            new ApprovalPolicy(false, false, 3600),
            new Timings(1200, 30, 600, 15 * 60),
            "alice"));
    CompletableFuture<RemediationResult> result =
        client.newUntypedWorkflowStub(id).getResultAsync(RemediationResult.class);

    // Ten minutes in, the run still waits for the missing worker rather than failing.
    env.sleep(Duration.ofMinutes(10));
    assertFalse(result.isDone(), "the run gave up before its worker deadline");

    env.sleep(Duration.ofMinutes(6));
    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> client.newUntypedWorkflowStub(id).getResult(RemediationResult.class));
    String message = String.valueOf(failed.getCause().getMessage());
    assertTrue(message.contains("no worker is polling abafix-server-serverb"), message);
    assertTrue(message.contains("nothing was changed"), message);
    assertEquals(before.servers(), lab.snapshot().servers());
  }
}
