package io.abafix.workflows.incident;

/** What a server's watcher reports to the tenant's incident. */
public enum ReportKind {
  /**
   * Event 906 whose text holds {@code AADSTS700027}: the certificate the server signs with is not
   * registered on its app, the shared-app conflict. Other 906 texts (a Conditional Access block,
   * AADSTS53003) are not this incident and are never reported.
   */
  SHARED_APP_CONFLICT,
  /**
   * The connector is on Application but ApplicationManagedBy, CertificateManagedBy or CertificateId
   * is blank.
   */
  BLANK_PARAMETERS,
  /** Event 1011 (the ABA certificate nears expiry) or 1012 (it has expired). */
  CERTIFICATE_EXPIRY
}
