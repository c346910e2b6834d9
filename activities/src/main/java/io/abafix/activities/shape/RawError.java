package io.abafix.activities.shape;

/**
 * How a read or a script failed on the server, as PowerShell reported it.
 *
 * @param type the exception's .NET type, e.g. {@code
 *     System.Management.Automation.CommandNotFoundException}
 * @param errorId the error record's FullyQualifiedErrorId
 * @param message the exception's message
 */
public record RawError(String type, String errorId, String message) {
  public RawError {
    type = type == null ? "" : type;
    errorId = errorId == null ? "" : errorId;
    message = message == null ? "" : message;
  }

  /** Whether the error id starts with {@code id} (PowerShell appends the command after a comma). */
  public boolean hasErrorId(String id) {
    return errorId.equals(id) || errorId.startsWith(id + ",");
  }

  /** The cmdlet or function does not exist on this server. */
  public boolean commandNotFound() {
    return type.endsWith("CommandNotFoundException") || hasErrorId("CommandNotFoundException");
  }

  @Override
  public String toString() {
    return type + " (" + errorId + "): " + message;
  }
}
