package io.abafix.cli;

import io.abafix.workflows.codec.PayloadEncryption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code abafix keygen FILE}: a new payload encryption key for workers and clients. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix keygen abafix.key"},
    description = "Write a new 256-bit payload encryption key to FILE (never overwrites).")
final class KeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "Where to write the key")
  Path file;

  @Override
  public Integer call() throws IOException {
    try {
      Files.writeString(
          file,
          PayloadEncryption.newKeyBase64() + "\n",
          StandardCharsets.US_ASCII,
          java.nio.file.StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      throw new UserError(file + " exists: keys are never overwritten; pick another file");
    }
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException windows) {
      // NTFS: restrict the file with icacls; the README says how.
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
}
