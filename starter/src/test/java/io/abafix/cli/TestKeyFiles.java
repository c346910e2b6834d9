package io.abafix.cli;

import io.abafix.workflows.codec.PayloadEncryption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** A payload key file as {@code abafix keygen} leaves it: readable by its owner only. */
final class TestKeyFiles {
  private TestKeyFiles() {}

  static Path write(Path file) throws IOException {
    Files.writeString(file, PayloadEncryption.newKeyBase64());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
