package io.abafix.activities.approval;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Verifies an Entra ID v2.0 ID token as proof of one decision: an RS256 signature by one of the
 * tenant's published keys (no other algorithm, so neither {@code alg: none} nor HS256 keyed with a
 * public key gets through), the pinned issuer, {@code tid}, {@code aud}, {@code exp} with a small
 * clock skew, the nonce the decision's binding gives, and, for approvers, the app role.
 *
 * <p>The key source is given by constructor: {@link #forEntra} fetches the tenant's keys from Entra
 * ID; tests and the lab pass their own.
 */
public final class IdTokenVerifier {
  /** How far the worker's clock may differ from Entra ID's. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  private final ApprovalTrust trust;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final Clock clock;

  public IdTokenVerifier(ApprovalTrust trust, JWKSource<SecurityContext> keys, Clock clock) {
    if (trust == null || keys == null || clock == null) {
      throw new IllegalArgumentException("trust, keys and clock are required");
    }
    this.trust = trust;
    this.clock = clock;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys));
    // The claims are checked below, against this verifier's clock, each with its own reason.
    processor.setJWTClaimsSetVerifier(null);
  }

  /** Seconds to connect to, and to read from, the sign-in host for its keys. */
  static final int KEY_FETCH_TIMEOUT_MILLIS = 5_000;

  /**
   * A verifier with the tenant's keys from Entra ID, fetched now: a worker that cannot reach its
   * cloud's sign-in host refuses to start rather than refuse every approval later. The keys are
   * cached and fetched again for an unknown key id (Entra ID rolls its keys over).
   *
   * @throws KeysUnavailableException naming the host and how to give Java a proxy
   */
  public static IdTokenVerifier forEntra(ApprovalTrust trust) {
    try {
      return fetching(trust, trust.jwksUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("bad key location " + trust.jwksUri(), e);
    }
  }

  /**
   * {@link #forEntra} with the keys at {@code keysUrl}.
   *
   * @throws KeysUnavailableException when they cannot be fetched now
   */
  public static IdTokenVerifier fetching(ApprovalTrust trust, URL keysUrl) {
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.<SecurityContext>create(
                keysUrl,
                new DefaultResourceRetriever(
                    KEY_FETCH_TIMEOUT_MILLIS, KEY_FETCH_TIMEOUT_MILLIS, 512 * 1024))
            .retrying(true)
            .build();
    try {
      keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
    } catch (KeySourceException e) {
      throw unavailable(keysUrl, e);
    }
    return new IdTokenVerifier(trust, keys, Clock.systemUTC());
  }

  static KeysUnavailableException unavailable(URL keysUrl, Exception cause) {
    String why = cause.getMessage();
    for (Throwable t = cause.getCause(); t != null; t = t.getCause()) why = t.toString();
    return new KeysUnavailableException(
        "cannot fetch the approvers' signing keys from "
            + keysUrl
            + " ("
            + why
            + "): this worker needs outbound HTTPS to "
            + keysUrl.getHost()
            + "; behind a proxy, give Java one, e.g. JAVA_TOOL_OPTIONS=\"-Dhttps.proxyHost=proxy"
            + " -Dhttps.proxyPort=8080\" (or -Djava.net.useSystemProxies=true)",
        cause);
  }

  public ApprovalTrust trust() {
    return trust;
  }

  /**
   * @param expectedNonce the nonce of the binding the caller computed itself
   * @param requireRole whether the token must carry the approver role (a requester's need not)
   * @return who signed in
   * @throws ProofRefusedException naming the first check that failed
   */
  public VerifiedIdentity verify(String idToken, String expectedNonce, boolean requireRole)
      throws ProofRefusedException {
    return verify(idToken, expectedNonce, requireRole, clock.instant());
  }

  /**
   * {@link #verify(String, String, boolean)} with the token's lifetime checked at its own issue
   * time: for a decision that stays good for the run it is bound to after its sign-in expired (see
   * {@link ApprovalGuard}); everything else is checked as always.
   */
  public VerifiedIdentity verifyAsIssued(String idToken, String expectedNonce, boolean requireRole)
      throws ProofRefusedException {
    Instant issued = null;
    try {
      Date iat = JWTParser.parse(idToken.trim()).getJWTClaimsSet().getIssueTime();
      if (iat != null) issued = iat.toInstant();
    } catch (ParseException | RuntimeException unreadable) {
      // verify() names what is wrong with it
    }
    return verify(idToken, expectedNonce, requireRole, issued == null ? clock.instant() : issued);
  }

  /**
   * {@link #verify(String, String, boolean)} with the token's lifetime checked at {@code at}
   * instead of now: a requester's start is checked at the moment the server recorded the run's
   * start, so a start signed hours before an approval still counts; the signature, issuer, audience
   * and nonce are checked as always.
   */
  public VerifiedIdentity verify(
      String idToken, String expectedNonce, boolean requireRole, Instant at)
      throws ProofRefusedException {
    if (idToken == null || idToken.isBlank()) {
      throw new ProofRefusedException("no ID token: a typed name is not a proof");
    }
    JWT jwt;
    try {
      jwt = JWTParser.parse(idToken.trim());
    } catch (ParseException e) {
      throw new ProofRefusedException("not a JWT");
    }
    if (!(jwt instanceof SignedJWT signed)) {
      throw new ProofRefusedException(
          "the token is not signed (alg " + jwt.getHeader().getAlgorithm() + ")");
    }
    if (!JWSAlgorithm.RS256.equals(signed.getHeader().getAlgorithm())) {
      throw new ProofRefusedException(
          "the token is signed with " + signed.getHeader().getAlgorithm() + ", not RS256");
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(signed, null);
    } catch (KeySourceException e) {
      // The keys could not be fetched: no verdict on the proof, so the step is tried again.
      throw new KeysUnavailableException(
          "cannot fetch the approvers' signing keys from "
              + trust.jwksUri().getHost()
              + " to verify the proof: "
              + e.getMessage(),
          e);
    } catch (BadJOSEException | JOSEException e) {
      throw new ProofRefusedException(
          "the signature does not verify against the tenant's published keys", e);
    }
    try {
      return checkClaims(claims, expectedNonce, requireRole, at);
    } catch (ParseException e) {
      throw new ProofRefusedException("a claim has the wrong type: " + e.getMessage());
    }
  }

  private VerifiedIdentity checkClaims(
      JWTClaimsSet c, String expectedNonce, boolean requireRole, Instant now)
      throws ProofRefusedException, ParseException {
    if (!trust.issuer().equals(c.getIssuer())) {
      throw new ProofRefusedException(
          "issuer " + c.getIssuer() + " is not the trusted " + trust.issuer());
    }
    String tid = c.getStringClaim("tid");
    if (!trust.tenantId().equals(tid)) {
      throw new ProofRefusedException("tenant " + tid + " is not the trusted " + trust.tenantId());
    }
    List<String> aud = c.getAudience();
    if (aud == null || aud.size() != 1 || !trust.clientId().equals(aud.get(0))) {
      throw new ProofRefusedException(
          "audience " + aud + " is not abafix's app " + trust.clientId());
    }
    Date exp = c.getExpirationTime();
    if (exp == null || !now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
      throw new ProofRefusedException(
          "the token expired at " + (exp == null ? "?" : exp.toInstant()));
    }
    Date nbf = c.getNotBeforeTime();
    if (nbf != null && now.isBefore(nbf.toInstant().minus(CLOCK_SKEW))) {
      throw new ProofRefusedException("the token is not valid before " + nbf.toInstant());
    }
    Date iat = c.getIssueTime();
    if (iat == null || now.isBefore(iat.toInstant().minus(CLOCK_SKEW))) {
      throw new ProofRefusedException("the token has no issue time, or one in the future");
    }
    String nonce = c.getStringClaim("nonce");
    if (expectedNonce == null || !expectedNonce.equals(nonce)) {
      throw new ProofRefusedException(
          "the token's nonce was made for another decision (run, gate, plan or parameters)");
    }
    String oid = c.getStringClaim("oid");
    if (oid == null || oid.isBlank()) {
      throw new ProofRefusedException("the token names no user (oid)");
    }
    List<String> roles = c.getStringListClaim("roles");
    roles = roles == null ? List.of() : List.copyOf(roles);
    if (requireRole && !roles.contains(trust.approverRole())) {
      throw new ProofRefusedException(
          c.getStringClaim("preferred_username")
              + " does not hold the app role "
              + trust.approverRole());
    }
    if (requireRole && trust.approverGroup() != null) {
      List<String> groups = c.getStringListClaim("groups");
      if (groups == null && c.getClaim("_claim_names") != null) {
        // Group overage: past 200 groups Entra ID leaves them out of the token.
        throw new ProofRefusedException(
            c.getStringClaim("preferred_username")
                + " is in too many groups for the token to list them: assign the app role to"
                + " the approvers' group instead");
      }
      if (groups == null || !groups.contains(trust.approverGroup())) {
        throw new ProofRefusedException(
            c.getStringClaim("preferred_username")
                + " is not a member of the approvers' group "
                + trust.approverGroup());
      }
    }
    String upn = c.getStringClaim("preferred_username");
    return new VerifiedIdentity(upn == null ? oid : upn, oid, tid, iat.toInstant(), roles);
  }
}
