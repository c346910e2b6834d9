package io.abafix.activities.approval;

/**
 * The Temporal server did not answer a worker reading how a run started. Like {@link
 * KeysUnavailableException}, not a verdict: the step is tried again, nothing changed.
 */
public final class RunUnreadableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RunUnreadableException(String message, Throwable cause) {
    super(message, cause);
  }
}
