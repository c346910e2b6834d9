package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the reads of {@code Test-AbafixConnectorAuthentication.ps1} (a Delta Import run of the
 * Entra connector) into a sign-in result. Rules (fixtures under {@code fixtures/sign-in}):
 *
 * <ul>
 *   <li>The run's Result {@code success}, or one that starts with {@code completed-}: the connector
 *       signed in.
 *   <li>Otherwise, or when the run threw: an AADSTS code anywhere in what the run and its result
 *       said is the failure's code ({@code AADSTS700027}: the certificate is not on the app).
 *   <li>"Access denied" from Entra ID with no code: {@code AccessDenied}, what a new service
 *       account answers for up to 15 minutes.
 *   <li>The run refused locally (UnauthorizedAccessException, SecurityException, or a message
 *       naming ADSyncAdmins): the worker's account may not run the connector. That is permanent,
 *       never "still propagating".
 * </ul>
 */
public final class SignInShape {
  static final String ACCESS_DENIED = "AccessDenied";
  private static final Pattern AADSTS = Pattern.compile("(AADSTS\\d+)");
  private static final Pattern DENIED =
      Pattern.compile(
          "access (is )?denied|unauthorized|\\b401\\b|\\b403\\b", Pattern.CASE_INSENSITIVE);

  private SignInShape() {}

  public static AuthenticationCheck interpret(String server, RawAnswer answer) {
    RawRead run = answer.read("run");
    if (run.failed()) {
      RawError e = run.error();
      if (e.type().endsWith("UnauthorizedAccessException")
          || e.type().endsWith("SecurityException")
          || e.message().contains("ADSyncAdmins")) {
        throw new HostException(
            Category.PERMANENT,
            "the worker's account may not run the Entra connector on "
                + server
                + " ("
                + e.message()
                + "): add it to the local group ADSyncAdmins and restart the worker");
      }
      return failure(e.message(), e.message());
    }
    String cmd = run.command();
    String result = run.objects().isEmpty() ? null : run.objects().get(0).string(cmd, "Result");
    if (result != null && (result.equals("success") || result.startsWith("completed-"))) {
      return AuthenticationCheck.ok();
    }
    List<String> texts = new ArrayList<>();
    run.output().forEach(n -> collect(n, texts));
    RawRead details = answer.read("runResult");
    if (!details.failed()) details.output().forEach(n -> collect(n, texts));
    String all = String.join(" ", texts);
    AuthenticationCheck check = failure(all, all);
    if (check.errorCode().equals("RunFailed")) {
      return AuthenticationCheck.failed("RunFailed", "Delta Import ended " + result + ": " + all);
    }
    return check;
  }

  private static AuthenticationCheck failure(String text, String message) {
    Matcher m = AADSTS.matcher(text);
    if (m.find()) return AuthenticationCheck.failed(m.group(1), message);
    if (DENIED.matcher(text).find()) return AuthenticationCheck.failed(ACCESS_DENIED, message);
    return AuthenticationCheck.failed("RunFailed", message);
  }

  /** Every text value in a raw value, depth first. */
  private static void collect(JsonNode n, List<String> out) {
    if (n == null || n.isNull()) return;
    if (n.isTextual()) {
      out.add(n.textValue());
    } else if (n.isArray()) {
      n.forEach(c -> collect(c, out));
    } else if (n.isObject()) {
      JsonNode props = n.get("properties");
      if (props != null) props.forEach(p -> collect(p.get("value"), out));
      JsonNode text = n.get("text");
      if (text != null) out.add(text.asText());
    }
  }
}
