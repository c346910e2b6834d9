package io.abafix.lab.signin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalLedger;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.StartedRuns;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.lab.LabKeys;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The lab tenant's side of people's sign-ins: its users, its RSA signing key (published as a JWKS,
 * with a {@code kid}), and ID tokens shaped like Entra ID's v2.0 ones ({@code iss} {@code
 * https://login.microsoftonline.com/<tid>/v2.0}, {@code aud} the client id, {@code tid}, {@code
 * oid}, {@code preferred_username}, {@code roles}, {@code nonce}, {@code iat}/{@code nbf}/{@code
 * exp}, one hour). The tokens claim the real issuer, so the verifier a worker runs in the lab is
 * the production one; only its key source differs ({@link #keySource()}).
 *
 * <p>Lab users, in a tenant with domain D: {@code alice@D} and {@code bob@D} hold {@value
 * ApprovalTrust#DEFAULT_APPROVER_ROLE}, and only alice is in the approvers group ({@link
 * #approversGroupId()}, listed in {@code groups}); {@code carol@D} holds no role.
 */
public final class LabIdentityProvider {
  /** The client id of abafix's own app registration in the lab (the ID tokens' audience). */
  public static final String ABAFIX_CLIENT_ID = "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6";

  public static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private final String domain;
  private final String tenantId;
  private final Supplier<RSAKey> signingKey;
  private final Clock clock;
  private final Map<String, LabUser> users = new LinkedHashMap<>();

  public LabIdentityProvider(String domain, Clock clock) {
    this(domain, clock, LabKeys.fresh()::signingKey);
  }

  /**
   * @param signingKey the key it signs tokens with, asked for the first time one is signed or its
   *     keys are published
   */
  public LabIdentityProvider(String domain, Clock clock, Supplier<RSAKey> signingKey) {
    this.domain = domain.toLowerCase(Locale.ROOT);
    this.tenantId = tenantIdFor(this.domain);
    this.clock = clock;
    this.signingKey = signingKey;
    String approver = ApprovalTrust.DEFAULT_APPROVER_ROLE;
    String tier0 = approversGroupId();
    add(LabUser.of("alice@" + this.domain, "Alice", List.of(approver), List.of(tier0)));
    add(LabUser.of("bob@" + this.domain, "Bob", List.of(approver), List.of()));
    add(LabUser.of("carol@" + this.domain, "Carol", List.of(), List.of()));
  }

  /** The lab's tenant id for a domain: a GUID, stable for the domain. */
  public static String tenantIdFor(String domain) {
    return UUID.nameUUIDFromBytes(
            ("tenant:" + domain.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * The object id of the tenant's group of tier-0 approvers: alice is a member, bob (who holds the
   * approver role too) is not.
   */
  public String approversGroupId() {
    return UUID.nameUUIDFromBytes(("group:approvers:" + domain).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  private void add(LabUser u) {
    users.put(u.upn(), u);
  }

  public String domain() {
    return domain;
  }

  public String tenantId() {
    return tenantId;
  }

  /** What a worker in the lab trusts (abafix's lab app, the lab tenant). */
  public ApprovalTrust trust(boolean twoPerson) {
    return new ApprovalTrust(
        tenantId, ABAFIX_CLIENT_ID, ApprovalTrust.DEFAULT_APPROVER_ROLE, twoPerson);
  }

  /** The tenant's published keys, as a verifier takes them. */
  public JWKSource<SecurityContext> keySource() {
    return new ImmutableJWKSet<>(publishedKeys());
  }

  /** The production verifier, with this lab's keys. */
  public IdTokenVerifier verifier(boolean twoPerson) {
    return new IdTokenVerifier(trust(twoPerson), keySource(), clock);
  }

  /**
   * The production guard, with this lab's keys; its ledger lives as long as the guard (a lab
   * worker's life), and it reads how runs started from the Temporal server, as on a server.
   */
  public ApprovalGuard guard(boolean twoPerson) {
    return new ApprovalGuard(verifier(twoPerson), ApprovalLedger.inMemory());
  }

  /**
   * The production guard, with this lab's keys, reading runs' starts from {@code runs}: for a test
   * that calls a worker's steps directly, without a Temporal server.
   */
  public ApprovalGuard guard(boolean twoPerson, StartedRuns runs) {
    return new ApprovalGuard(verifier(twoPerson), ApprovalLedger.inMemory(), runs);
  }

  /** {@code user}'s signed approval of {@code binding}, as a step carries it. */
  public StepAuthorization approval(String user, DecisionBinding binding) {
    return new StepAuthorization(null, ApprovalProof.of(idToken(user, binding.nonce()), binding));
  }

  /** The JWKS: public keys only. */
  public JWKSet publishedKeys() {
    return new JWKSet(signingKey.get().toPublicJWK());
  }

  public RSAKey publicKey() {
    return signingKey.get().toPublicJWK();
  }

  public List<LabUser> users() {
    return List.copyOf(users.values());
  }

  /** A user by UPN, or by the part before the {@code @} ({@code alice}). */
  public Optional<LabUser> user(String nameOrUpn) {
    if (nameOrUpn == null) return Optional.empty();
    String key = nameOrUpn.trim().toLowerCase(Locale.ROOT);
    if (!key.contains("@")) key = key + "@" + domain;
    return Optional.ofNullable(users.get(key));
  }

  public LabUser requireUser(String nameOrUpn) {
    return user(nameOrUpn)
        .orElseThrow(
            () -> new IllegalArgumentException("no lab user " + nameOrUpn + " in " + domain));
  }

  /** The claims Entra ID puts in an ID token for {@code user} signing in to abafix's app. */
  public JWTClaimsSet.Builder claims(LabUser user, String nonce) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(trust(false).issuer())
            .audience(ABAFIX_CLIENT_ID)
            .subject(
                UUID.nameUUIDFromBytes(("sub:" + user.objectId()).getBytes(StandardCharsets.UTF_8))
                    .toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
            .claim("tid", tenantId)
            .claim("oid", user.objectId())
            .claim("preferred_username", user.upn())
            .claim("name", user.name())
            .claim("ver", "2.0");
    if (!user.roles().isEmpty()) b.claim("roles", user.roles());
    if (!user.groups().isEmpty()) b.claim("groups", user.groups());
    if (nonce != null) b.claim("nonce", nonce);
    return b;
  }

  /** An ID token for {@code user} whose nonce is {@code nonce}, signed with the tenant's key. */
  public String idToken(String user, String nonce) {
    return sign(claims(requireUser(user), nonce).build());
  }

  /** Signs any claims with the tenant's key, RS256, as Entra ID does. */
  public String sign(JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .type(JOSEObjectType.JWT)
                  .keyID(signingKey.get().getKeyID())
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(signingKey.get()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a lab ID token", e);
    }
  }
}
