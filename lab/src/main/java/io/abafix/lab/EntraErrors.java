package io.abafix.lab;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The error texts the simulated tenant answers with, copied from Microsoft's documentation. */
final class EntraErrors {
  static final String CERTIFICATE_NOT_REGISTERED = "AADSTS700027";
  static final String ACCESS_DENIED = "AccessDenied";

  static final int EVENT_AUTHENTICATION_FAILED = 906;
  static final String EVENT_SOURCE = "Directory Synchronization";

  private static final DateTimeFormatter AAD_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private EntraErrors() {}

  /**
   * The description of event 906 for a certificate the app does not hold, exactly as the
   * troubleshooting article shows it, with the app id, trace ids and time filled in.
   */
  static String certificateNotRegistered(
      String appId, String traceId, String correlationId, Instant at) {
    return "[MSAL] AcquireTokenWithCertificate: Exception caught while acquiring token via"
        + " certificate. [invalid_client] - A configuration issue is preventing authentication -"
        + " check the error message from the server for details. You can modify the configuration"
        + " in the application registration portal. See https://aka.ms/msal-net-invalid-client"
        + " for details.  Original exception: AADSTS700027: The certificate with identifier used"
        + " to sign the client assertion is not registered on application. [Reason - The key was"
        + " not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to"
        + " see configured keys for app Id '"
        + appId
        + "'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments to"
        + " determine the corresponding service endpoint and"
        + " https://docs.microsoft.com/en-us/graph/api/application-get?view=graph-rest-1.0&tabs=http"
        + " to build a query request URL, such as 'https://graph.microsoft.com/beta/applications/"
        + appId
        + "']. Trace ID: "
        + traceId
        + " Correlation ID: "
        + correlationId
        + " Timestamp: "
        + AAD_TIMESTAMP.format(at);
  }

  /** A service account that does not exist or has not propagated yet. */
  static String accessDenied(String upn, boolean exists, long waitMillis) {
    if (!exists) {
      return "AccessDenied: the service account " + upn + " does not exist in the tenant";
    }
    return "AccessDenied: the service account "
        + upn
        + " cannot sign in yet; a new account can take up to 15 minutes to work (about "
        + Math.max(1, (waitMillis + 999) / 1000)
        + " s left)";
  }
}
