package io.abafix.activities.powershell;

import io.abafix.activities.port.HostException;

/**
 * A script that ran and answered {@code {"ok":false,"error":{...}}}: the script itself sorted the
 * failure, and its code says which one (e.g. {@code WrongServer}, {@code SyncCycleInProgress},
 * {@code CredentialFileMissing}).
 */
public class PowerShellScriptException extends HostException {
  private static final long serialVersionUID = 1L;

  private final String script;
  private final String code;
  private final String stderr;

  public PowerShellScriptException(
      Category category, String script, String code, String message, String stderr) {
    super(category, message);
    this.script = script;
    this.code = code;
    this.stderr = stderr == null ? "" : stderr;
  }

  /** The script's file name. */
  public String script() {
    return script;
  }

  /** The script's error code. */
  public String code() {
    return code;
  }

  /** Everything the script wrote to stderr, for the audit. */
  public String stderr() {
    return stderr;
  }
}
