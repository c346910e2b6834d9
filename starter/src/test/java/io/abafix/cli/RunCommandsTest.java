package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.lab.signin.LabIdentityProvider;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.PendingApproval;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands an operator runs against a cluster (status, approve, audit), as separate command
 * lines against a running Temporal server, with workers that share the operator's payload key.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RunCommandsTest {
  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private static Result abafix(String... args) {
    return abafix(CommandLine.defaultFactory(), args);
  }

  private static Result abafix(CommandLine.IFactory commands, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Abafix.commandLine(commands);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  @Timeout(120)
  void status_approve_and_audit_work_on_a_run_waiting_for_approval() throws Exception {
    Path keyFile = dir.resolve("abafix.key");
    assertEquals(0, abafix("keygen", keyFile.toString()).exitCode());
    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment(
            Map.of(PayloadEncryption.KEY_FILE, keyFile.toString())::get);
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);

    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        DemoEnvironment env = DemoEnvironment.startAgainst(lab, temporal.address(), codec)) {
      String id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
      SharedAppRemediationWorkflow run =
          env.client().newWorkflowStub(SharedAppRemediationWorkflow.class, id);
      PendingApproval pending = null;
      for (int i = 0; i < 200 && pending == null; i++) {
        pending = run.progress().pendingApproval();
        if (pending == null) Thread.sleep(50);
      }
      assertEquals("REVERT_TO_SERVICE_ACCOUNT@SERVERA", pending.gate());
      String[] cluster = {
        "--address", temporal.address(), "--encryption-key-file", keyFile.toString()
      };

      Result status = abafix(concat(new String[] {"status", id}, cluster));
      assertEquals(0, status.exitCode(), status.err());
      assertTrue(
          status.out().contains("needs approval: REVERT_TO_SERVICE_ACCOUNT@SERVERA"), status.out());
      assertTrue(
          status.out().contains("DELETE_APPLICATIONS"), "the plan is shown: " + status.out());
      String command =
          "abafix approve "
              + id
              + " --step REVERT_TO_SERVICE_ACCOUNT --server SERVERA --digest "
              + pending.digest().substring(0, 12)
              + " (signs you in)";
      assertTrue(status.out().contains(command), "the exact command is shown: " + status.out());

      Result unnamed = abafix(concat(new String[] {"approve", id, "--as", "bob"}, cluster));
      assertEquals(2, unnamed.exitCode(), "a decision must name its gate: " + unnamed.out());
      assertTrue(unnamed.err().contains("name the gate you decide"), unnamed.err());

      Result wrongKey =
          abafix(
              "status", id, "--address", temporal.address(), "--encryption-key-file", otherKey());
      assertTrue(wrongKey.exitCode() != 0, "another key cannot read the run: " + wrongKey.out());

      String[] gate = {
        "--step",
        "REVERT_TO_SERVICE_ACCOUNT",
        "--server",
        "SERVERA",
        "--digest",
        pending.digest().substring(0, 12),
        "--as",
        "bob"
      };
      Result typedName = abafix(concat(concat(new String[] {"approve", id}, gate), cluster));
      assertEquals(
          2, typedName.exitCode(), "a typed name alone is no approval: " + typedName.out());
      assertTrue(typedName.err().contains("--approver-tenant-id"), typedName.err());

      String[] signIn = {
        "--approver-tenant-id",
        lab.identities().tenantId(),
        "--approver-client-id",
        LabIdentityProvider.ABAFIX_CLIENT_ID
      };
      LabSignIn atLab = LabSignIn.at(env.adapters().entra().identityEndpoint());
      String[] staleGate = gate.clone();
      staleGate[5] = "000000000000";
      long signInsBefore = signIns(env);
      Result stale =
          abafix(
              atLab,
              concat(concat(concat(new String[] {"approve", id}, staleGate), cluster), signIn));
      assertEquals(2, stale.exitCode(), "a digest the gate no longer shows: " + stale.out());
      assertTrue(stale.err().contains("nothing was signed"), stale.err());
      assertEquals(signInsBefore, signIns(env), "refused before any sign-in");
      Result approve =
          abafix(
              atLab, concat(concat(concat(new String[] {"approve", id}, gate), cluster), signIn));
      assertEquals(0, approve.exitCode(), approve.err());
      assertTrue(
          approve.out().contains("approved REVERT_TO_SERVICE_ACCOUNT@SERVERA, signed in"),
          approve.out());
      // The rest of the plan at once, signed in the same way.
      Result rest =
          abafix(
              atLab,
              concat(
                  concat(new String[] {"approve", id, "--gate", "PLAN", "--as", "bob"}, cluster),
                  signIn));
      assertEquals(0, rest.exitCode(), rest.err());
      for (int i = 0; i < 400 && lab.effectCount("revertToServiceAccount", "SERVERA") == 0; i++) {
        Thread.sleep(50);
      }
      assertEquals(
          1,
          lab.effectCount("revertToServiceAccount", "SERVERA"),
          "the worker accepted bob's signed approval and reverted SERVERA");

      Path audit = dir.resolve("audit.jsonl");
      Result export =
          abafix(concat(new String[] {"audit", id, "--out", audit.toString()}, cluster));
      assertEquals(0, export.exitCode(), export.err());
      List<String> lines = Files.readAllLines(audit);
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.contains("\"actor\":\"bob@contoso.onmicrosoft.com (verified)\"")
                          && l.contains("APPROVED")),
          lines.toString());
      assertTrue(
          lines.stream()
              .anyMatch(
                  l ->
                      l.contains("REVERT_TO_SERVICE_ACCOUNT")
                          && l.contains("bob@contoso.onmicrosoft.com (verified)")),
          "the revert names the identity its worker verified: " + lines);
      assertNull(AuditExport.firstBrokenLine(lines));
    }
  }

  @Test
  @Timeout(120)
  void remediate_follow_ends_naming_the_run_and_the_key_that_signed_its_journal() throws Exception {
    Path keyFile = dir.resolve("abafix.key");
    assertEquals(0, abafix("keygen", keyFile.toString()).exitCode());
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        DemoEnvironment env =
            DemoEnvironment.startAgainst(lab, temporal.address(), codecOf(keyFile))) {
      Result run = abafix(concat(dryRun(lab, "--follow"), cluster(temporal, keyFile)));
      assertEquals(0, run.exitCode(), run.err());
      String keyId = AuditSigning.keyId(env.auditPublicKey());
      assertTrue(
          run.out()
              .matches(
                  "(?s).*journal: workflow abafix-remediation-contoso\\.onmicrosoft\\.com,"
                      + " run [0-9a-f-]{36}; signed by key id "
                      + keyId
                      + "\\R.*"),
          run.out());
      assertTrue(run.out().contains("--expect-key-id " + keyId), run.out());
    }
  }

  @Test
  @Timeout(120)
  void the_read_commands_read_an_earlier_run_of_the_id_with_run_id() throws Exception {
    Path keyFile = dir.resolve("abafix.key");
    assertEquals(0, abafix("keygen", keyFile.toString()).exitCode());
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        DemoEnvironment env =
            DemoEnvironment.startAgainst(lab, temporal.address(), codecOf(keyFile))) {
      String[] cluster = cluster(temporal, keyFile);
      // An earlier run of the tenant's id, ended; then the latest, waiting for approval.
      Result dry = abafix(concat(dryRun(lab, "--follow"), cluster));
      assertEquals(0, dry.exitCode(), dry.err());
      String earlierRun =
          env.client()
              .newUntypedWorkflowStub(WorkflowIds.remediation(lab.tenantDomain()))
              .describe()
              .getExecution()
              .getRunId();
      String id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
      WorkflowStub latest = env.client().newUntypedWorkflowStub(id);
      String latestRun = latest.describe().getExecution().getRunId();
      assertNotEquals(earlierRun, latestRun);
      Result latestAudit = abafix(concat(new String[] {"audit", id, "--jsonl"}, cluster));
      assertTrue(
          latestAudit.out().contains("\"runId\":\"" + latestRun + "\""),
          "without --run-id the latest run is read: " + latestAudit.out());

      Result audit =
          abafix(concat(new String[] {"audit", id, "--jsonl", "--run-id", earlierRun}, cluster));
      assertEquals(0, audit.exitCode(), audit.err());
      assertTrue(audit.out().contains("\"runId\":\"" + earlierRun + "\""), audit.out());
      assertFalse(audit.out().contains(latestRun), audit.out());

      Result status = abafix(concat(new String[] {"status", id, "--run-id", earlierRun}, cluster));
      assertEquals(0, status.exitCode(), status.err());
      assertTrue(status.out().startsWith(id + ": DRY_RUN"), status.out());
      assertTrue(status.out().contains("(abafix audit " + id + " --run-id " + earlierRun + ")"));
      Result now = abafix(concat(new String[] {"status", id}, cluster));
      assertTrue(now.out().startsWith(id + ": RUNNING"), now.out());

      Path html = dir.resolve("earlier.html");
      Result report =
          abafix(
              concat(
                  new String[] {"report", id, "--run-id", earlierRun, "--html", html.toString()},
                  cluster));
      assertEquals(0, report.exitCode(), report.err());
      assertTrue(Files.readString(html).contains("DRY_RUN"), "the earlier run's outcome");

      String absent = "00000000-0000-4000-8000-000000000000";
      for (String command : List.of("status", "audit")) {
        Result refused = abafix(concat(new String[] {command, id, "--run-id", absent}, cluster));
        assertEquals(2, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().contains(id + " has no run " + absent), refused.err());
      }
      Path none = dir.resolve("none.html");
      Result refusedReport =
          abafix(
              concat(
                  new String[] {"report", id, "--run-id", "yesterday", "--html", none.toString()},
                  cluster));
      assertEquals(2, refusedReport.exitCode(), refusedReport.err());
      assertTrue(refusedReport.err().contains("--run-id yesterday is not a run id"));
      assertFalse(Files.exists(none), "nothing is written");
      assertEquals(
          latestRun, latest.describe().getExecution().getRunId(), "the latest run goes on");
      latest.terminate("test over");
    }
  }

  /** {@code abafix remediate} of every server of the lab, as a dry run, with {@code more}. */
  private static String[] dryRun(Lab lab, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("remediate", "--tenant", lab.tenantDomain(), "--dry-run"));
    lab.serverNames().forEach(s -> args.addAll(List.of("--server", s)));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static String[] cluster(EmbeddedTemporal temporal, Path keyFile) {
    return new String[] {
      "--address", temporal.address(), "--encryption-key-file", keyFile.toString()
    };
  }

  private static AesGcmPayloadCodec codecOf(Path keyFile) {
    return PayloadEncryption.fromEnvironment(
        Map.of(PayloadEncryption.KEY_FILE, keyFile.toString())::get);
  }

  private String otherKey() throws Exception {
    Path other = dir.resolve("other.key");
    Files.writeString(other, PayloadEncryption.newKeyBase64());
    return other.toString();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private static long signIns(DemoEnvironment env) {
    return env.adapters().entra().requests().stream()
        .filter(r -> r.path().endsWith("/authorize"))
        .count();
  }
}
