package io.abafix.activities.powershell;

/** A script run that produced no result: not started, timed out, or interrupted. */
public class PowerShellRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the run produced no result. */
  public enum Reason {
    /** The executable could not be started (missing, not permitted). */
    NOT_STARTED,
    /** The script ran past its timeout; its process tree was killed. */
    TIMED_OUT,
    /** The waiting thread was interrupted; the process tree was killed. */
    INTERRUPTED
  }

  private final Reason reason;
  private final String partialStdout;
  private final String partialStderr;

  public PowerShellRunException(
      Reason reason, String message, String partialStdout, String partialStderr, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.partialStdout = partialStdout == null ? "" : partialStdout;
    this.partialStderr = partialStderr == null ? "" : partialStderr;
  }

  public Reason reason() {
    return reason;
  }

  /** What the script had written to stdout before it was stopped. */
  public String partialStdout() {
    return partialStdout;
  }

  /** What the script had written to stderr before it was stopped. */
  public String partialStderr() {
    return partialStderr;
  }
}
