package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConnectorParameterRepairWorkflowTest {
  private static final String STAGED = "D:\\abafix\\modules\\ADSyncTools";

  private LabTemporal t;

  @AfterEach
  void stop() {
    if (t != null) t.close();
  }

  private RepairResult repair(String server, String source) {
    ConnectorParameterRepairWorkflow wf =
        t.client()
            .newWorkflowStub(
                ConnectorParameterRepairWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.repair(t.lab.tenantDomain(), server))
                    .setTaskQueue(TaskQueues.ORCHESTRATOR)
                    .build());
    RepairRequest request =
        new RepairRequest(t.lab.tenantDomain(), server, source, new Timings(60, 1, 60, 30), "test")
            .startedAs(
                io.abafix.activities.approval.RunStart.unsigned(
                    io.abafix.activities.approval.RunStart.newStartId(), false));
    var execution = io.temporal.client.WorkflowClient.start(wf::repair, request);
    var result = io.temporal.client.WorkflowStub.fromTyped(wf).getResultAsync(RepairResult.class);
    approveAsAlice(wf, execution, result);
    try {
      return result.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** alice approves the repair's plan when it asks, signed in as {@code abafix approve} does. */
  private void approveAsAlice(
      ConnectorParameterRepairWorkflow wf,
      io.temporal.api.common.v1.WorkflowExecution execution,
      java.util.concurrent.CompletableFuture<RepairResult> result) {
    for (int look = 0; look < 200 && !result.isDone(); look++) {
      var pending = wf.progress().pendingApprovals();
      if (pending == null || pending.isEmpty()) {
        t.env.sleep(java.time.Duration.ofSeconds(1));
        continue;
      }
      String chain;
      try {
        chain =
            io.abafix.activities.approval.TemporalStartedRuns.firstRunId(
                t.client(),
                t.client().getOptions().getNamespace(),
                execution.getWorkflowId(),
                execution.getRunId());
      } catch (io.abafix.activities.approval.ProofRefusedException e) {
        throw new AssertionError(e);
      }
      var binding =
          io.abafix.workflows.model.DecisionScope.binding(
              t.client().getOptions().getNamespace(),
              execution.getWorkflowId(),
              chain,
              io.abafix.workflows.model.DecisionScope.PLAN,
              pending,
              true);
      wf.decide(
          new io.abafix.workflows.model.ApprovalRequest(
              io.abafix.workflows.model.DecisionScope.PLAN,
              "alice",
              true,
              "",
              pending.get(0).planDigest(),
              io.abafix.activities.approval.ApprovalProof.of(
                  t.lab.identities().idToken("alice", binding.nonce()), binding)));
      return;
    }
  }

  private static List<String> steps(RepairResult r) {
    return r.audit().stream().map(AuditEntry::step).toList();
  }

  @Test
  void blank_parameters_are_repaired_and_verified() {
    t = LabTemporal.start("blank-parameters");

    RepairResult r = repair("SERVERA", "gallery");

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.message());
    assertEquals(
        List.of("ApplicationManagedBy", "CertificateManagedBy", "CertificateId"), r.blankBefore());
    assertEquals(List.of(), r.blankAfter());
    LabSnapshot.Server a = t.lab.snapshot().server("SERVERA");
    assertTrue(a.abaParameters().complete(), "the lab's connector has its parameters again");
    assertEquals(a.certificateThumbprint(), a.abaParameters().certificateId());
    AuditEntry verify =
        r.audit().stream()
            .filter(e -> e.step().equals("VERIFY_PARAMETERS"))
            .findFirst()
            .orElseThrow();
    assertEquals("DONE", verify.outcome());
    assertEquals("Microsoft", verify.after().get("applicationManagedBy"));
  }

  @Test
  void an_already_healthy_server_runs_no_repair_step() {
    t = LabTemporal.start("healthy-fleet");

    RepairResult r = repair("SERVERA", "gallery");

    assertEquals(Outcome.NOTHING_TO_DO, r.outcome());
    assertEquals(List.of("REQUEST", "PREFLIGHT", "RESULT"), steps(r));
    assertEquals(0, t.lab.effectCount("installAdSyncTools", "SERVERA"));
    assertEquals(0, t.lab.effectCount("repairConnectorParameters", "SERVERA"));
    assertTrue(
        t.adapters.runner("SERVERA").invocations().stream()
            .allMatch(i -> i.script() == PowerShellScript.GET_SERVER_STATE),
        "only the state was read on the server");
  }

  @Test
  void ad_sync_tools_below_2_3_0_is_updated_first() {
    t = LabTemporal.start("blank-parameters");

    RepairResult r = repair("SERVERA", "gallery");

    assertEquals("2.2.0", r.adSyncToolsBefore());
    assertEquals("2.3.0", r.adSyncToolsAfter());
    List<String> steps = steps(r);
    assertTrue(
        steps.indexOf("INSTALL_AD_SYNC_TOOLS") < steps.indexOf("REPAIR_PARAMETERS"),
        steps.toString());
    AuditEntry install =
        r.audit().stream()
            .filter(e -> e.step().equals("INSTALL_AD_SYNC_TOOLS"))
            .findFirst()
            .orElseThrow();
    assertEquals("DONE", install.outcome());
    assertEquals("2.2.0", install.before().get("adSyncToolsVersion"));
    List<PowerShellScript> scripts =
        t.adapters.runner("SERVERA").invocations().stream()
            .map(i -> i.script())
            .filter(s -> s != PowerShellScript.GET_SERVER_STATE)
            .toList();
    assertEquals(
        List.of(
            PowerShellScript.INSTALL_AD_SYNC_TOOLS, PowerShellScript.REPAIR_CONNECTOR_PARAMETERS),
        scripts);
  }

  @Test
  void an_offline_server_uses_the_pre_staged_module() {
    t = LabTemporal.start("blank-parameters");
    assertTrue(
        t.lab.saveConnectorInSyncServiceManager("SERVERB"), "OK clears an auto-upgraded connector");

    RepairResult r = repair("SERVERB", STAGED);

    assertEquals(Outcome.SUCCEEDED, r.outcome(), r.message());
    assertEquals("2.3.1", r.adSyncToolsAfter(), "the staged version, not the Gallery's");
    assertTrue(t.lab.snapshot().server("SERVERB").abaParameters().complete());
    assertTrue(
        r.audit().stream().anyMatch(e -> e.detail() != null && e.detail().contains(STAGED)),
        "the journal names the staged folder");
  }

  @Test
  void an_offline_server_told_to_use_the_gallery_fails_with_what_to_do() {
    t = LabTemporal.start("blank-parameters");
    t.lab.saveConnectorInSyncServiceManager("SERVERB");

    WorkflowFailedException e =
        assertThrows(WorkflowFailedException.class, () -> repair("SERVERB", "gallery"));

    String message = String.valueOf(e.getCause().getMessage());
    assertTrue(message.contains("INSTALL_AD_SYNC_TOOLS"), message);
    assertTrue(message.contains("Pre-stage the module"), message);
    assertEquals(0, t.lab.effectCount("repairConnectorParameters", "SERVERB"));
  }
}
