package io.abafix.cli;

import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.codec.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code abafix keygen FILE}: a new payload encryption key for workers and clients; with {@code
 * --audit-signing}, the orchestrator's audit signing key pair instead.
 */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix keygen abafix.key", "  abafix keygen --audit-signing audit-signing.key"},
    description = {
      "Write a new 256-bit payload encryption key to FILE, readable by its owner only (never"
          + " overwrites).",
      "With --audit-signing: an Ed25519 key pair for signing audit digests, the private key in"
          + " FILE and the public key in FILE.pub."
    })
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Where to write the key")
  Path file;

  @Option(
      names = "--audit-signing",
      description = "Make the orchestrator's audit signing key pair (FILE and FILE.pub)")
  boolean auditSigning;

  @Override
  public Integer call() throws IOException {
    if (auditSigning) return auditSigningKeys();
    try {
      SecretFiles.createOwnerOnly(
          file, (PayloadEncryption.newKeyBase64() + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (FileAlreadyExistsException e) {
      throw new UserError(file + " exists: keys are never overwritten; pick another file");
    }
    spec.commandLine()
        .getOut()
        .println(
            "wrote a new key to "
                + file
                + "; give every worker and client "
                + PayloadEncryption.KEY_FILE
                + "="
                + file.toAbsolutePath());
    return 0;
  }

  private int auditSigningKeys() throws IOException {
    Path pub = Path.of(file + ".pub");
    if (Files.exists(pub)) {
      throw new UserError(pub + " exists: keys are never overwritten; pick another file");
    }
    KeyPair pair = AuditSigning.newKeyPair();
    try {
      SecretFiles.createOwnerOnly(
          file, AuditSigning.privateKeyPem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
    } catch (FileAlreadyExistsException e) {
      throw new UserError(file + " exists: keys are never overwritten; pick another file");
    }
    Files.writeString(pub, AuditSigning.publicKeyPem(pair.getPublic()), StandardCharsets.US_ASCII);
    spec.commandLine()
        .getOut()
        .println(
            "wrote an audit signing key to "
                + file
                + " (give the orchestrator "
                + AuditSigning.KEY_FILE
                + "="
                + file.toAbsolutePath()
                + ") and its public key to "
                + pub
                + " (for abafix audit verify --public-key)");
    return 0;
  }
}
