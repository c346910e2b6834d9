package io.abafix.activities.shape;

import io.abafix.activities.port.HostException;

/**
 * A cmdlet returned a shape no rule of this abafix version recognises. Permanent: the same server
 * answers the same way on a retry. The message names what was seen and what was expected, so that a
 * capture ({@code abafix-worker server --capture}) of that server can become a new fixture.
 */
public final class ShapeException extends HostException {
  private static final long serialVersionUID = 1L;

  public ShapeException(String message) {
    super(Category.PERMANENT, message);
  }

  /** The standard message: which read, what it held, what a rule needs. */
  static ShapeException of(String command, String seen, String expected) {
    return new ShapeException(
        command
            + " returned a shape abafix does not recognise: "
            + seen
            + "; expected "
            + expected
            + ". Capture this server (abafix-worker server --name <server> --capture FILE) and"
            + " report it");
  }
}
