package io.abafix.activities.powershell;

/**
 * What one script run produced.
 *
 * @param exitCode the process exit code (0 when the script answered ok)
 * @param stdout the standard output, decoded as UTF-8
 * @param stderr the standard error, decoded as UTF-8, kept for the audit
 */
public record PowerShellResult(int exitCode, String stdout, String stderr) {
  public PowerShellResult {
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
  }
}
