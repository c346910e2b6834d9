package io.abafix.activities.shape;

import io.abafix.activities.port.HostException.Category;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sorts a failure no script named itself (category {@code Unclassified}) into transient or
 * permanent, from its exception type, error id and message. Fixtures under {@code fixtures/errors}.
 */
public final class ErrorRules {
  private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

  /**
   * Sign-in failures that retrying cannot fix, and that retried would lock the account out: wrong
   * or expired password, unknown, locked or disabled account, multi-factor authentication or
   * Conditional Access in the way. From Microsoft's AADSTS error code reference.
   */
  static final Set<String> CREDENTIAL_REJECTED =
      Set.of(
          "50034", // the user account does not exist
          "50053", // the account is locked (too many sign-ins, or a blocked IP)
          "50055", // the password has expired
          "50056", // no password stored for the user
          "50057", // the account is disabled
          "50074", // strong authentication (MFA) is required
          "50076", // MFA is required by policy or location
          "50079", // the user must register for MFA
          "50126", // invalid user name or password
          "50158", // an external security challenge was not satisfied
          "53000", // Conditional Access: the device must be managed
          "53001", // Conditional Access: the device must be domain joined
          "53003", // Conditional Access blocked the sign-in
          "530032"); // blocked by a security policy

  private ErrorRules() {}

  /** How an unclassified failure is sorted, with the abafix code that names it. */
  public record Sorted(Category category, String code, String advice) {}

  public static Sorted sort(RawError e) {
    // The whole chain: a cmdlet may wrap a refusal in a message that invites a retry.
    String text = e.fullText();
    Matcher m = AADSTS.matcher(text);
    while (m.find()) {
      if (m.group(1).equals("700027")) {
        return new Sorted(Category.CERTIFICATE_NOT_REGISTERED, "AADSTS700027", "");
      }
      if (CREDENTIAL_REJECTED.contains(m.group(1))) {
        return new Sorted(
            Category.PERMANENT,
            "CredentialRejected",
            "Microsoft Entra ID refused the credential (AADSTS"
                + m.group(1)
                + "); retrying cannot fix that and would lock the account: store a current"
                + " credential of an account that Conditional Access and MFA let sign in"
                + " unattended, or run the step as an operator");
      }
    }
    if (e.parametersRefused()) {
      return new Sorted(
          Category.PERMANENT,
          "PrerequisiteMissing",
          "the cmdlet on this server does not take the parameters abafix passes (its documented"
              + " parameters changed between Entra Connect versions): check the version, or run the"
              + " step as an operator step");
    }
    if (e.commandNotFound()) {
      return new Sorted(
          Category.PERMANENT,
          "PrerequisiteMissing",
          "a command the script needs is missing on this server: check the Entra Connect version");
    }
    if (text.matches("(?is).*(interactive|user interaction|prompt).*")) {
      return new Sorted(
          Category.PERMANENT,
          "InteractiveSignInRequired",
          "the cmdlet wants an interactive sign-in: run this step as an operator step");
    }
    if (e.type().endsWith("UnauthorizedAccessException")
        || e.type().endsWith("SecurityException")) {
      return new Sorted(
          Category.PERMANENT,
          "AccessDenied",
          "the worker's account lacks a permission on this server: make it a local administrator"
              + " and a member of ADSyncAdmins");
    }
    return new Sorted(Category.TRANSIENT, "Unexpected", "");
  }
}
