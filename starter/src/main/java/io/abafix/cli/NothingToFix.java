package io.abafix.cli;

/**
 * The fleet needs no remediation, so nothing was started: one line, exit code {@link
 * ErrorHandler#NOTHING_TO_FIX}.
 */
final class NothingToFix extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NothingToFix(String message) {
    super(message);
  }
}
