package io.abafix.worker;

/** Input the operator can fix; printed as one line with exit code 2, and nothing was started. */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message);
  }
}
