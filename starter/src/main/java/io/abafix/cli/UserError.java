package io.abafix.cli;

/** Input the user can fix; printed as one line with exit code 2, and nothing was started. */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message);
  }
}
