package io.abafix.worker;

/** The Temporal frontend did not answer when the worker started; exit code 4. */
final class TemporalUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TemporalUnreachableException(String target, Throwable cause) {
    super(
        "cannot reach Temporal at "
            + target
            + " ("
            + cause.getMessage()
            + "): start it, or set TEMPORAL_ADDRESS / --address",
        cause);
  }
}
