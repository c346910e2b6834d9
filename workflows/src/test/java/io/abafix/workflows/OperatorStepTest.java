package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.IdentityType;
import io.abafix.lab.Lab;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.StepName;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OperatorStepTest {
  private LabHarness h;

  @BeforeEach
  void start() {
    h = LabHarness.of("seed-pair");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void an_operator_step_waits_until_confirmed_and_a_confirmation_without_its_effect_is_refused() {
    Lab lab = h.lab;
    RemediationRequest request =
        new RemediationRequest(
            lab.tenantDomain(),
            lab.serverNames(),
            LabHarness.CREDENTIAL,
            null,
            false,
            new ApprovalPolicy(true, false, 3600),
            Timings.standard(),
            LabHarness.REQUESTER,
            List.of(StepName.CONFIGURE_ABA));
    String id = WorkflowIds.remediation(lab.tenantDomain());
    started = h.start(request);
    SharedAppRemediationWorkflow run = started.stub;
    CompletableFuture<RemediationResult> result =
        h.client.newUntypedWorkflowStub(id).getResultAsync(RemediationResult.class);

    OperatorTask task = awaitOperatorTask(run);
    assertEquals("CONFIGURE_ABA@SERVERB", task.gate());
    assertTrue(task.instructions().contains("Configure application-based authentication"));
    assertTrue(
        run.plan().steps().stream()
            .filter(s -> s.step() == StepName.CONFIGURE_ABA)
            .allMatch(s -> s.executor() == Executor.OPERATOR));

    // Time passes (within the run's one-hour bound) and the run still waits for the person.
    h.env.sleep(Duration.ofMinutes(40));
    assertEquals("CONFIGURE_ABA@SERVERB", run.progress().pendingOperatorStep().gate());

    WorkflowUpdateException refused =
        assertThrows(
            WorkflowUpdateException.class,
            () -> h.signedConfirm(run, "carol", "CONFIGURE_ABA", "SERVERB"));
    assertTrue(
        rootMessage(refused).contains("ABA is not configured with a new app yet"),
        rootMessage(refused));
    assertEquals(IdentityType.ServiceAccount, lab.snapshot().server("SERVERB").identityType());
    assertNotNull(
        run.progress().pendingOperatorStep(), "a refused confirmation keeps the run waiting");

    // The person runs the wizard on SERVERB, then confirms.
    lab.host("SERVERB").configureApplicationAuthentication();
    assertTrue(h.signedConfirm(run, "carol", "CONFIGURE_ABA", "SERVERB").startsWith("verified"));

    OperatorTask next = awaitOperatorTask(run);
    assertEquals("CONFIGURE_ABA@SERVERA", next.gate());
    lab.host("SERVERA").configureApplicationAuthentication();
    h.signedConfirm(run, "carol", "CONFIGURE_ABA", "SERVERA");

    while (!result.isDone()) h.env.sleep(Duration.ofSeconds(30));
    RemediationResult done = result.join();
    assertEquals(Outcome.SUCCEEDED, done.outcome(), done.message());
    var end = lab.snapshot();
    assertNotEquals(end.server("SERVERA").applicationId(), end.server("SERVERB").applicationId());
    List<AuditEntry> configured =
        done.audit().stream().filter(e -> e.step().equals("CONFIGURE_ABA")).toList();
    assertTrue(configured.stream().anyMatch(e -> e.outcome().equals("NOT_CONFIRMED")));
    assertEquals(
        2,
        configured.stream()
            .filter(
                e ->
                    e.outcome().equals("DONE")
                        && "carol@contoso.onmicrosoft.com (verified)".equals(e.actor()))
            .count());
  }

  /** The run under test, for signing its approvals as the CLI would. */
  private LabHarness.Run started;

  private OperatorTask awaitOperatorTask(SharedAppRemediationWorkflow run) {
    for (int i = 0; i < 200; i++) {
      OperatorTask task = run.progress().pendingOperatorStep();
      if (task != null) return task;
      PendingApproval approval = run.progress().pendingApproval();
      if (approval != null) {
        run.decide(
            started.signed(
                new ApprovalRequest(
                    approval.gate(), LabHarness.APPROVER, true, "ok", approval.digest()),
                approval));
        continue;
      }
      h.env.sleep(Duration.ofSeconds(30));
    }
    throw new AssertionError("no operator step became pending; progress: " + run.progress());
  }

  private static String rootMessage(Throwable t) {
    String message = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null) message = c.getMessage();
    }
    return message;
  }
}
