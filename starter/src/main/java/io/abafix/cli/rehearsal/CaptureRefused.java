package io.abafix.cli.rehearsal;

/** A capture or rehearsal file that cannot be used, with the one line that says why. */
public final class CaptureRefused extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CaptureRefused(String message) {
    super(message);
  }
}
