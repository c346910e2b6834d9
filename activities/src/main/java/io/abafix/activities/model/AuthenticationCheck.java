package io.abafix.activities.model;

/**
 * Whether the Entra connector can authenticate with its current identity right now.
 *
 * @param authenticated true when a sign-in with the connector's identity succeeded
 * @param errorCode for a failure, the AADSTS code or {@code AccessDenied}; null on success
 * @param message the error text a person can read, without secrets
 */
public record AuthenticationCheck(boolean authenticated, String errorCode, String message) {
  public static AuthenticationCheck ok() {
    return new AuthenticationCheck(true, null, null);
  }

  public static AuthenticationCheck failed(String errorCode, String message) {
    return new AuthenticationCheck(false, errorCode, message);
  }
}
