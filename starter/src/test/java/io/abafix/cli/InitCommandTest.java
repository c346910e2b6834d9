package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.policy.ServerWorkerPolicy;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.codec.SecretFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InitCommandTest {

  @Test
  void init_writes_working_keys_policies_and_the_steps_left_for_the_cloud(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("abafix-contoso");
    CommandLineRun run =
        CommandLineRun.of(
            "init",
            dir.toString(),
            "--tenant",
            "contoso.onmicrosoft.us",
            "--cloud",
            "usgov",
            "--server",
            "SERVERA",
            "--server",
            "serverb");
    assertEquals(0, run.exitCode(), run.err());

    // The keys are usable as the CLI and the orchestrator will use them, owner-only.
    SecretFiles.requireOwnerOnly(dir.resolve("abafix.key"), "payload key");
    PayloadEncryption.fromEnvironment(
        Map.of(PayloadEncryption.KEY_FILE, dir.resolve("abafix.key").toString())::get);
    AuditSigning.fromEnvironment(
        Map.of(AuditSigning.KEY_FILE, dir.resolve("audit-signing.key").toString())::get);
    String keyId =
        AuditSigning.keyId(AuditSigning.readPublicKey(dir.resolve("audit-signing.key.pub")));
    assertTrue(run.out().contains(keyId), "prints the audit key id: " + run.out());

    // A policy per server that the server worker loads as it is.
    for (String server : new String[] {"SERVERA", "SERVERB"}) {
      Path policy = dir.resolve("servers").resolve(server).resolve("server-worker-policy.json");
      ServerWorkerPolicy.load(policy);
    }

    String env = Files.readString(dir.resolve("abafix.env"));
    assertTrue(env.contains("ABAFIX_ENCRYPTION_KEY_FILE=" + dir.resolve("abafix.key")), env);
    assertTrue(env.contains("ABAFIX_APPROVER_CLOUD=usgov"), env);

    String steps = Files.readString(dir.resolve(InitCommand.NEXT_STEPS));
    assertTrue(steps.contains("https://entra.microsoft.us"), "the cloud's admin center: " + steps);
    assertTrue(steps.contains("Application.ReadWrite.All"), steps);
    assertTrue(
        steps.replace("\n   ", " ").contains("--server SERVERA --server SERVERB --dry-run"), steps);
    assertTrue(run.out().contains(steps), "the steps are printed too");
  }

  @Test
  void init_never_overwrites_and_refuses_bad_names_before_writing(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.resolve("taken");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("abafix.key"), "an existing key\n");
    CommandLineRun taken =
        CommandLineRun.of("init", dir.toString(), "--tenant", "contoso.com", "--server", "A");
    assertEquals(ErrorHandler.BAD_INPUT, taken.exitCode());
    assertTrue(taken.err().startsWith("abafix: "), taken.err());
    assertEquals("an existing key\n", Files.readString(dir.resolve("abafix.key")));

    Path fresh = tmp.resolve("fresh");
    for (Map.Entry<String, String> bad :
        Map.of(
                "--server", "NOT_A_NETBIOS_NAME_AT_ALL",
                "--tenant", "not a domain",
                "--cloud", "mars")
            .entrySet()) {
      String[] args =
          bad.getKey().equals("--server")
              ? new String[] {
                "init", fresh.toString(), "--tenant", "contoso.com", "--server", bad.getValue()
              }
              : new String[] {
                "init",
                fresh.toString(),
                "--server",
                "A",
                bad.getKey(),
                bad.getValue(),
                bad.getKey().equals("--tenant") ? "--cloud" : "--tenant",
                bad.getKey().equals("--tenant") ? "global" : "contoso.com"
              };
      CommandLineRun r = CommandLineRun.of(args);
      assertEquals(ErrorHandler.BAD_INPUT, r.exitCode(), bad + ": " + r.err());
      assertFalse(Files.exists(fresh), bad + " wrote nothing");
    }
  }
}
