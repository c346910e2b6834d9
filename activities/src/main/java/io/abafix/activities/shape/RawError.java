package io.abafix.activities.shape;

/**
 * How a read or a script failed on the server, as PowerShell reported it.
 *
 * @param type the exception's .NET type, e.g. {@code
 *     System.Management.Automation.CommandNotFoundException}
 * @param errorId the error record's FullyQualifiedErrorId
 * @param message the exception's message
 * @param inner each exception of its InnerException chain, {@code <type>: <message>}, outermost
 *     first
 * @param errorCategory PowerShell's category of the error record, e.g. {@code InvalidArgument}
 */
public record RawError(
    String type,
    String errorId,
    String message,
    java.util.List<String> inner,
    String errorCategory) {
  public RawError {
    type = type == null ? "" : type;
    errorId = errorId == null ? "" : errorId;
    message = message == null ? "" : message;
    inner = inner == null ? java.util.List.of() : java.util.List.copyOf(inner);
    errorCategory = errorCategory == null ? "" : errorCategory;
  }

  /** A failure without an inner chain or category. */
  public RawError(String type, String errorId, String message) {
    this(type, errorId, message, null, null);
  }

  /** The error facts a script reported ({@code type}, {@code errorId}, ...), with this message. */
  public static RawError of(com.fasterxml.jackson.databind.JsonNode facts, String message) {
    java.util.List<String> inner = new java.util.ArrayList<>();
    facts.path("inner").forEach(i -> inner.add(i.asText()));
    return new RawError(
        facts.path("type").asText(null),
        facts.path("errorId").asText(null),
        message,
        inner,
        facts.path("errorCategory").asText(null));
  }

  /** The message and every inner exception's: what a code such as AADSTS50076 is looked for in. */
  public String fullText() {
    return inner.isEmpty() ? message : message + " | " + String.join(" | ", inner);
  }

  /**
   * The cmdlet was called with parameters this version of it does not take, or without one it
   * requires: the documented parameters changed between versions.
   */
  public boolean parametersRefused() {
    return type.endsWith("ParameterBindingException")
        || hasErrorId("NamedParameterNotFound")
        || hasErrorId("MissingMandatoryParameter")
        || hasErrorId("ParameterArgumentValidationError")
        || inner.stream().anyMatch(i -> i.contains("ParameterBindingException"));
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
