package io.abafix.activities.approval;

/**
 * The approvers' signing keys could not be fetched: the sign-in host did not answer. Not a verdict
 * on any proof, so a step that meets it is retried, never refused; a worker that meets it at start
 * refuses to start, with this message.
 */
public final class KeysUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  KeysUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
