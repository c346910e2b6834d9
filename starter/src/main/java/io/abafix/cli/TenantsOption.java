package io.abafix.cli;

import io.abafix.worker.tenants.TenantsFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The deployment's tenants file, where a command starts a run of one tenant: the tenant a person
 * types (its id or one of its aliases) is run under the id the file gives it, so the same tenant
 * typed as its domain and as its tenant id gets one workflow id, not two runs at once.
 */
final class TenantsOption {
  @Option(
      names = "--tenants",
      paramLabel = "FILE",
      defaultValue = "${env:ABAFIX_TENANTS_FILE}",
      description =
          "The deployment's tenants file (default: ABAFIX_TENANTS_FILE): the tenant may be named by"
              + " its id or one of its aliases and runs under its id, so it has one run whichever"
              + " name is typed; a tenant the file does not list is refused")
  Path file;

  private TenantsFile loaded;

  /**
   * The name a run of {@code typed} is built from: as typed without a tenants file, else the id of
   * the tenant the file lists under that name.
   *
   * @throws UserError when the file cannot be read or does not list the tenant
   */
  String canonical(String typed) {
    if (file == null || typed == null) return typed;
    if (loaded == null) {
      try {
        loaded = TenantsFile.load(file);
      } catch (TenantsFile.TenantsFileException e) {
        throw new UserError(e.getMessage() + "; nothing was started");
      }
    }
    try {
      return loaded.canonical(typed);
    } catch (IllegalArgumentException e) {
      throw new UserError("--tenants " + file + ": " + e.getMessage() + "; nothing was started");
    }
  }
}
