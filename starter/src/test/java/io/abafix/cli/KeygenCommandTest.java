package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.audit.AuditDigest;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.audit.SignedDigest;
import io.abafix.workflows.codec.PayloadEncryption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code abafix keygen}: keys readable by their owner only, never overwritten, usable at once. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeygenCommandTest {
  @TempDir Path dir;

  private int keygen(String... args) {
    CommandLine cmd = Abafix.commandLine();
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    String[] all = new String[args.length + 1];
    all[0] = "keygen";
    System.arraycopy(args, 0, all, 1, args.length);
    return cmd.execute(all);
  }

  @Test
  void a_payload_key_is_written_with_mode_0600_and_never_overwritten() throws Exception {
    Path key = dir.resolve("abafix.key");
    assertEquals(0, keygen(key.toString()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    String first = Files.readString(key);
    assertEquals(2, keygen(key.toString()));
    assertEquals(first, Files.readString(key));
    PayloadEncryption.fromEnvironment(Map.of(PayloadEncryption.KEY_FILE, key.toString())::get);
  }

  @Test
  void an_audit_signing_pair_signs_and_verifies() throws Exception {
    Path key = dir.resolve("audit-signing.key");
    assertEquals(0, keygen("--audit-signing", key.toString()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    AuditSigning signer =
        AuditSigning.fromEnvironment(Map.of(AuditSigning.KEY_FILE, key.toString())::get);
    AuditDigest digest =
        new AuditDigest(
            "default", "wf", "run", 1, 3, 3, "0".repeat(64), "0".repeat(64), "END", true);
    SignedDigest signed = signer.sign(digest);
    assertTrue(
        AuditSigning.verifies(signed, AuditSigning.readPublicKey(Path.of(key + ".pub"))),
        "the public key beside it verifies what the private key signs");

    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> AuditSigning.fromEnvironment(Map.of(AuditSigning.KEY_FILE, key.toString())::get));
    assertTrue(e.getMessage().contains("readable by others"), e.getMessage());
  }
}
