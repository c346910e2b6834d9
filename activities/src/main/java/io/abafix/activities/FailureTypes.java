package io.abafix.activities;

/**
 * Stable failure types carried by {@code ApplicationFailure}. Workflows name the permanent ones in
 * their retry options so that Temporal does not retry them.
 */
public final class FailureTypes {
  /** Retrying cannot help: bad input, a missing prerequisite, a refused operation. */
  public static final String PERMANENT = "abafix.Permanent";

  /** The certificate used to sign the client assertion is not on the app (AADSTS700027). */
  public static final String CERTIFICATE_NOT_REGISTERED = "abafix.CertificateNotRegistered";

  /** A credential reference does not resolve on the server that needs it. */
  public static final String CREDENTIAL_UNAVAILABLE = "abafix.CredentialUnavailable";

  /** The activity ran on a worker for another server: a routing or configuration error. */
  public static final String WRONG_SERVER = "abafix.WrongServer";

  /**
   * The activity reached a worker of another tenant, or named no tenant on a tenant's queue: a
   * routing or configuration error. Refused before anything is read or changed.
   */
  public static final String WRONG_TENANT = "abafix.WrongTenant";

  /** The step's precondition no longer holds; the plan must be looked at again. */
  public static final String PRECONDITION_FAILED = "abafix.PreconditionFailed";

  /**
   * A destructive step without a valid signed approval for exactly this run and target: the worker
   * refused it before touching anything.
   */
  public static final String APPROVAL_REFUSED = "abafix.ApprovalRefused";

  /** Transient: worth retrying (a busy service, throttling, a propagation delay). */
  public static final String TRANSIENT = "abafix.Transient";

  /** Every type that must never be retried, for {@code RetryOptions.setDoNotRetry}. */
  public static final String[] NON_RETRYABLE = {
    PERMANENT,
    CERTIFICATE_NOT_REGISTERED,
    CREDENTIAL_UNAVAILABLE,
    WRONG_SERVER,
    WRONG_TENANT,
    PRECONDITION_FAILED,
    APPROVAL_REFUSED
  };

  private FailureTypes() {}
}
