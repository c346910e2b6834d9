package io.abafix.activities.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.activities.powershell.ProcessPowerShellRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real child process through the production runner and host: a stand-in for PowerShell that
 * prints its whole environment and a handful of secrets to stderr. The worker's own secrets (in its
 * environment, set by the build for this test) never reach the child, and what the child prints is
 * redacted before it is kept in the step's facts.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ScriptOutputSecretsTest {
  private static final String JWT =
      "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjYW5hcnktYXNzZXJ0aW9uIn0.Y2FuYXJ5LXNpZ25hdHVyZS1mb3ItdGVzdA";
  private static final String PASSWORD = "Canary-Stderr-Pa55-9d1e";
  private static final String BASE64_KEY =
      "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCcanary0123456789";

  /** What the stand-in's shell sets for itself. */
  private static final java.util.Set<String> SHELL_OWN =
      java.util.Set.of("PWD", "OLDPWD", "SHLVL", "_");

  @TempDir Path dir;

  @Test
  void the_child_sees_an_allow_listed_environment_and_its_stderr_is_kept_redacted()
      throws Exception {
    Map<String, String> worker = System.getenv();
    List<String> canaries =
        List.of(
            worker.get("TEMPORAL_API_KEY"),
            worker.get("ABAFIX_PFX_PASSWORD"),
            worker.get("ABAFIX_ENCRYPTION_KEY_FILE"));
    canaries.forEach(c -> assertTrue(c != null && c.contains("canary"), "set by the build: " + c));

    Path forwarder = dir.resolve("powershell");
    Files.writeString(
        forwarder,
        "#!/bin/sh\n"
            + "cat >/dev/null\n"
            + "env >&2\n"
            + "echo \"client_assertion="
            + JWT
            + " Password: "
            + PASSWORD
            + " key "
            + BASE64_KEY
            + "\" >&2\n"
            + "echo 'access token Bearer "
            + JWT
            + "' >&2\n"
            + "echo '"
            + PowerShellSyncServerHost.ANSWER_PREFIX
            + "{\"ok\":true,\"result\":{\"reads\":["
            + "{\"name\":\"call\",\"command\":\"Set-ADSyncScheduler\",\"output\":[]},"
            + "{\"name\":\"scheduler\",\"command\":\"Get-ADSyncScheduler\",\"output\":"
            + "[{\"types\":[\"S\"],\"properties\":[{\"name\":\"SyncCycleEnabled\","
            + "\"type\":\"System.Boolean\",\"value\":true}]}]}]}}'\n");
    Files.setPosixFilePermissions(forwarder, PosixFilePermissions.fromString("rwx------"));

    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost(
            "SERVERA", new ProcessPowerShellRunner(forwarder.toString(), dir.resolve("scripts")));
    host.setSyncCycleEnabled(true);
    String kept = host.takeDiagnostics();

    assertTrue(kept.contains("PATH="), "the child's environment was printed: " + kept);
    for (String secret : concat(canaries, List.of(JWT, PASSWORD, BASE64_KEY))) {
      assertFalse(kept.contains(secret), "kept in the facts: " + secret + "\n" + kept);
    }
    assertTrue(kept.contains(Redaction.MARK), kept);
    for (String line : kept.lines().toList()) {
      int eq = line.indexOf('=');
      if (eq <= 0 || line.contains(" ")) continue;
      String name = line.substring(0, eq);
      if (SHELL_OWN.contains(name)) continue;
      assertTrue(
          ChildEnvironment.ALLOWED.contains(name.toUpperCase(Locale.ROOT)),
          "the child got " + name);
    }
  }

  @Test
  void redaction_takes_out_tokens_keys_and_password_pairs_and_keeps_the_rest() {
    String text =
        "Set-ADSyncScheduler: access denied; password=hunter2hunter2 token: abc.def "
            + JWT
            + " -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- "
            + BASE64_KEY
            + " apiKey='k-123' machine 3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d"
            + " thumbprint E1475F4D5BCA1E7596CFF6A623347533ADF66165";
    String out = Redaction.redact(text);
    for (String secret : List.of("hunter2hunter2", "abc.def", JWT, "MIIE", BASE64_KEY, "k-123")) {
      assertFalse(out.contains(secret), secret + " in " + out);
    }
    assertTrue(out.startsWith("Set-ADSyncScheduler: access denied; password=[redacted]"), out);
    // A machine id (32 hex, no secret) stays readable for the audit.
    assertTrue(out.contains("3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d"), out);
    assertTrue(out.contains("E1475F4D5BCA1E7596CFF6A623347533ADF66165"), out);
    assertEquals("", Redaction.redact(""));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
