package io.abafix.lab.scenario;

/** A scenario that cannot be read or does not make sense; the message is one line. */
public class ScenarioException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ScenarioException(String message) {
    super(message);
  }

  public ScenarioException(String message, Throwable cause) {
    super(message, cause);
  }
}
