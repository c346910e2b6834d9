package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.cli.rehearsal.FinalState;
import io.abafix.cli.rehearsal.RehearsalFile;
import io.abafix.cli.rehearsal.RehearsalFiles;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.plan.PlanDigest;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop a change board asks for, through the command line: {@code abafix capture} of a lab fleet
 * (its workers answering through the production adapters), {@code abafix rehearse} of the capture
 * on a lab copy, then {@code abafix remediate --rehearsed} of the fleet itself.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RehearsalTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CREDENTIAL =
      "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";
  private static final String ADMIN = "hia@contoso.onmicrosoft.com";
  private static final String CANARY = "Canary-P4ssw0rd-never-captured";

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"seed-pair", "cloned-pair"})
  @Timeout(240)
  void the_capture_of_a_lab_fleet_rehearses_to_the_plan_digest_and_final_state_of_its_real_run(
      String scenario) throws Exception {
    try (Fleet fleet = Fleet.of(scenario, dir)) {
      // The revert's credential, as an administrator stores it on each server.
      fleet.lab.setPassword(ADMIN, CANARY);
      for (String s : fleet.lab.serverNames())
        fleet.lab.storeCredential(s, CREDENTIAL, ADMIN, CANARY);
      Path capture = fleet.capture();
      String captured = Files.readString(capture);
      assertFalse(captured.contains(CANARY), "no secret in the capture");
      assertFalse(captured.contains("PRIVATE KEY"), "no key in the capture");

      Run rehearsal = run("rehearse", "--capture", capture.toString(), "--operator-step", "NONE");
      assertEquals(0, rehearsal.code(), rehearsal.err() + rehearsal.out());
      String digest = after(rehearsal.out(), "plan digest: ");
      List<String> predicted = block(rehearsal.out(), "final state:");
      assertTrue(rehearsal.out().contains("approvals the real run will ask for"), rehearsal.out());
      assertTrue(
          rehearsal.out().contains("REVERT_TO_SERVICE_ACCOUNT@SERVERB"),
          "the approvals are named: " + rehearsal.out());
      assertTrue(
          rehearsal.out().matches("(?s).*SERVERB\\s+about \\d+ min.*"),
          "each server's paused window is predicted: " + rehearsal.out());
      Path rehearsed = RehearseCommand.beside(capture);
      assertTrue(Files.isRegularFile(rehearsed), "the rehearsal is written for the real run");

      Map<String, String> machineIds = new HashMap<>();
      fleet.lab.snapshot().servers().forEach(s -> machineIds.put(s.name(), s.machineId()));
      List<String> appsBefore =
          fleet.lab.snapshot().applications().stream().map(LabSnapshot.Application::id).toList();
      RemediationResult real = fleet.remediateRehearsed(rehearsed);

      assertEquals("SUCCEEDED", real.outcome().name(), real.message());
      assertEquals(digest, PlanDigest.of(real.plan()), "the real run has the rehearsed plan");
      assertTrue(
          real.audit().stream()
              .anyMatch(e -> e.step().equals("REHEARSAL") && e.outcome().equals("DONE")),
          "preflight compared the fleet with the rehearsal");
      assertEquals(
          predicted,
          FinalState.lines(fleet.lab.snapshot(), machineIds, appsBefore),
          "the real run ends where the rehearsal said it would");
    }
  }

  @Test
  @Timeout(240)
  void a_fleet_changed_after_capture_is_refused_by_remediate_rehearsed_and_nothing_changes()
      throws Exception {
    try (Fleet fleet = Fleet.of("seed-pair", dir)) {
      Path capture = fleet.capture();
      Run rehearsal = run("rehearse", "--capture", capture.toString(), "--operator-step", "NONE");
      assertEquals(0, rehearsal.code(), rehearsal.err() + rehearsal.out());
      Path rehearsed = RehearseCommand.beside(capture);

      // One machine id edited behind abafix's back.
      String original = fleet.lab.snapshot().server("SERVERB").machineId();
      String edited = "0123456789abcdef0123456789abcdef";
      fleet.lab.host("SERVERB").setMachineIdentifier(edited);
      String refusal = fleet.refused(rehearsed);
      assertTrue(
          refusal.contains(
              "SERVERB machine id was " + original + " when rehearsed, is " + edited + " now"),
          refusal);

      // Put back; then one app key rotated (an automatic rollover on SERVERA).
      fleet.lab.host("SERVERB").setMachineIdentifier(original);
      String keyBefore =
          fleet.lab.snapshot().applications().get(0).keyThumbprints().get(0).toUpperCase();
      fleet.lab.rotateCertificateOutOfBand("SERVERA");
      String keyNow =
          fleet.lab.snapshot().applications().get(0).keyThumbprints().get(0).toUpperCase();
      assertNotEquals(keyBefore, keyNow);
      refusal = fleet.refused(rehearsed);
      assertTrue(
          refusal.contains(" keys was " + keyBefore + " when rehearsed, is " + keyNow + " now"),
          refusal);
    }
  }

  @Test
  @Timeout(120)
  void a_capture_with_a_shape_abafix_does_not_know_is_refused_naming_it() throws Exception {
    try (Fleet fleet = Fleet.of("seed-pair", dir)) {
      Path capture = fleet.capture();
      ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(capture));
      ObjectNode state = null;
      for (JsonNode run : root.get("servers").get(1).get("runs")) {
        if (run.get("script").asText().equals("Get-AbafixServerState.ps1"))
          state = (ObjectNode) run;
      }
      String known = "\"name\":\"ConnectorIdentityType\",\"type\":\"System.String\",\"value\":";
      String stdout = state.get("stdout").asText();
      String changed = stdout.replace(known + "\"Application\"", known + "\"ManagedIdentity\"");
      assertNotEquals(stdout, changed, "the capture holds the shape this test changes");
      state.put("stdout", changed);
      Path unknown = dir.resolve("unknown-shape.json");
      Files.writeString(unknown, JSON.writeValueAsString(root));

      Run refused = run("rehearse", "--capture", unknown.toString());
      assertEquals(2, refused.code(), refused.out() + refused.err());
      assertEquals(1, refused.err().lines().count(), refused.err());
      assertTrue(refused.err().contains("server SERVERB"), refused.err());
      assertTrue(refused.err().contains("ConnectorIdentityType is ManagedIdentity"), refused.err());
      assertFalse(Files.exists(RehearseCommand.beside(unknown)), "no rehearsal is written");

      Files.writeString(unknown, Files.readString(capture).replace("fleet-capture/1", "x/9"));
      Run format = run("rehearse", "--capture", unknown.toString());
      assertEquals(2, format.code(), format.err());
      assertTrue(format.err().contains("format 'abafix-x/9'"), format.err());
    }
  }

  @Test
  void remediate_rehearsed_refuses_other_servers_or_steps_and_a_rehearsal_that_failed()
      throws Exception {
    Path ok = dir.resolve("ok.rehearsal.json");
    RehearsalFiles.succeeded().write(ok);
    CommandLineRun.of(
            "remediate",
            "--rehearsed",
            ok.toString(),
            "--server",
            "SERVERA",
            "--credential-ref",
            CREDENTIAL)
        .assertRefused(2, "SERVERA are not those rehearsed (SERVERA, SERVERB)");
    CommandLineRun.of(
            "remediate",
            "--rehearsed",
            ok.toString(),
            "--operator-step",
            "CONFIGURE_ABA",
            "--credential-ref",
            CREDENTIAL)
        .assertRefused(2, "operator steps CONFIGURE_ABA are not those rehearsed (NONE)");
    Path failed = dir.resolve("failed.rehearsal.json");
    List<RehearsalFile.ServerEnd> paused = new java.util.ArrayList<>(RehearsalFiles.allFine());
    paused.set(0, new RehearsalFile.ServerEnd("SERVERA", "Application", false, true));
    RehearsalFiles.of("COMPENSATED", RehearsalFiles.journal(), paused).write(failed);
    CommandLineRun.of("remediate", "--rehearsed", failed.toString(), "--credential-ref", CREDENTIAL)
        .assertRefused(2, "ended COMPENSATED: only a rehearsal that succeeded can be run for real");
  }

  @Test
  @Timeout(180)
  void the_demo_shows_capture_rehearsal_and_the_rehearsed_run_in_one_output() throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    CommandLineRun demo = CommandLineRun.of("demo", "--rehearse", "--audit-out", audit.toString());
    assertEquals(0, demo.exitCode(), demo.err() + demo.out());
    String out = demo.out();
    int capture = out.indexOf("1. abafix capture");
    int rehearse = out.indexOf("2. abafix rehearse");
    int remediate = out.indexOf("3. abafix remediate --rehearsed");
    assertTrue(0 <= capture && capture < rehearse && rehearse < remediate, out);
    assertTrue(out.contains("the fleet and the plan are those rehearsed"), out);
    String digest =
        out.lines()
            .map(String::strip)
            .filter(l -> l.startsWith("plan digest "))
            .findFirst()
            .orElseThrow()
            .substring("plan digest ".length());
    String planned = null;
    for (String line : Files.readAllLines(audit)) {
      JsonNode e = JSON.readTree(line);
      if (e.path("step").asText().equals("PLAN")) planned = e.path("after").path("digest").asText();
    }
    assertEquals(digest, planned, "the run planned what was rehearsed");
  }

  /**
   * A lab fleet with its workers on an embedded Temporal, as a real fleet has them on a cluster.
   */
  private static final class Fleet implements AutoCloseable {
    final Lab lab;
    final EmbeddedTemporal temporal;
    final DemoEnvironment env;
    final Path dir;
    final String[] cluster;

    private Fleet(Lab lab, EmbeddedTemporal temporal, DemoEnvironment env, Path dir, Path key) {
      this.lab = lab;
      this.temporal = temporal;
      this.env = env;
      this.dir = dir;
      this.cluster =
          new String[] {"--address", temporal.address(), "--encryption-key-file", key.toString()};
    }

    static Fleet of(String scenario, Path dir) throws Exception {
      Path key = TestKeyFiles.write(dir.resolve("abafix.key"));
      AesGcmPayloadCodec codec =
          PayloadEncryption.fromEnvironment(
              Map.of(PayloadEncryption.KEY_FILE, key.toString())::get);
      Lab lab =
          Lab.fromScenario(
              Scenario.fromResource(scenario).withoutLatency(), System::currentTimeMillis);
      EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
      return new Fleet(
          lab, temporal, DemoEnvironment.startAgainst(lab, temporal.address(), codec), dir, key);
    }

    Path capture() {
      Path file = dir.resolve("fleet.json");
      List<String> args =
          new ArrayList<>(
              List.of("capture", "--tenant", lab.tenantDomain(), "--out", file.toString()));
      for (String s : lab.serverNames()) args.addAll(List.of("--server", s));
      Run r = run(with(args));
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("nothing was changed"), r.out());
      return file;
    }

    /** {@code remediate --rehearsed}, approved by a person, with the lab's short waits. */
    RemediationResult remediateRehearsed(Path rehearsed) throws Exception {
      Path request = dir.resolve("request.json");
      List<String> servers = lab.serverNames();
      Files.writeString(
          request,
          JSON.writeValueAsString(
              Map.of(
                  "tenant", lab.tenantDomain(),
                  "servers", servers,
                  "credentialReference", CREDENTIAL,
                  "operatorSteps", List.of(),
                  "approvals", Map.of("required", true, "twoPerson", false, "timeoutSeconds", 600),
                  "timings",
                      Map.of(
                          "propagationWaitSeconds", 120,
                          "pollSeconds", 1,
                          "syncCycleWaitSeconds", 60,
                          "workerWaitSeconds", 30))));
      Run started =
          run(
              with(
                  List.of(
                      "remediate",
                      "--request",
                      request.toString(),
                      "--rehearsed",
                      rehearsed.toString())));
      assertEquals(0, started.code(), started.err());
      String id = after(started.out(), "started ");
      StringWriter journal = new StringWriter();
      return new RunFollower(
              env.client(),
              id,
              new PrintWriter(journal),
              env.approver("alice"),
              Duration.ofMillis(100))
          .follow();
    }

    /** Runs {@code remediate --rehearsed} on a changed fleet: the refusal, with nothing changed. */
    String refused(Path rehearsed) throws Exception {
      LabSnapshot before = lab.snapshot();
      Map<String, Integer> effects = lab.effectCounts();
      String refusal;
      try {
        remediateRehearsed(rehearsed);
        throw new AssertionError("a changed fleet must be refused");
      } catch (WorkflowFailedException e) {
        refusal = ErrorHandler.rootMessage(e);
      }
      assertTrue(refusal.startsWith("refused, nothing was changed"), refusal);
      assertEquals(before, lab.snapshot(), "nothing changed on the fleet");
      assertEquals(effects, lab.effectCounts(), "no step acted");
      List<AuditEntry> audit =
          env.client()
              .newWorkflowStub(
                  SharedAppRemediationWorkflow.class, "abafix-remediation-" + lab.tenantDomain())
              .audit();
      assertTrue(
          audit.stream().noneMatch(e -> e.step().equals("PAUSE_SCHEDULER")),
          "no scheduler was paused: " + audit);
      return refusal;
    }

    private String[] with(List<String> args) {
      List<String> all = new ArrayList<>(args);
      all.addAll(List.of(cluster));
      return all.toArray(String[]::new);
    }

    @Override
    public void close() {
      env.close();
      temporal.close();
    }
  }

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = Abafix.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** The rest of the first line that starts with {@code prefix}, up to the first space. */
  private static String after(String text, String prefix) {
    return text.lines()
        .filter(l -> l.startsWith(prefix))
        .findFirst()
        .map(l -> l.substring(prefix.length()).split(" ")[0])
        .orElseThrow(() -> new AssertionError("no line starting " + prefix + " in " + text));
  }

  /** The indented lines under a heading line. */
  private static List<String> block(String text, String heading) {
    List<String> lines = text.lines().toList();
    int at = lines.indexOf(heading);
    assertTrue(at >= 0, "no " + heading + " in " + text);
    List<String> out = new ArrayList<>();
    for (int i = at + 1; i < lines.size() && lines.get(i).startsWith("  "); i++) {
      out.add(lines.get(i).substring(2));
    }
    return out;
  }
}
