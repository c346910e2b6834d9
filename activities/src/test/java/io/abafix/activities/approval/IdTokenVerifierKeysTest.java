package io.abafix.activities.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.temporal.failure.ApplicationFailure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * The approvers' keys as a worker gets them: fetched at start, cached, fetched again for a key id
 * it does not know; a sign-in host that does not answer is "try again", never "refused".
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class IdTokenVerifierKeysTest {
  private static final String TENANT = "0d3c4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
  private static final String APP = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  private final ApprovalTrust trust = new ApprovalTrust(TENANT, APP, null, false);
  private final AtomicReference<JWKSet> published = new AtomicReference<>();
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  @Test
  void keys_are_fetched_at_start_and_again_only_for_an_unknown_key_id() throws Exception {
    RSAKey first = key("first");
    publish(first);
    IdTokenVerifier verifier = IdTokenVerifier.fetching(trust, keysUrl());
    assertEquals(1, fetches.get(), "fetched when the worker starts");

    verifier.verify(token(first, "n1"), "n1", true);
    assertEquals(1, fetches.get(), "cached");

    RSAKey rolled = key("rolled");
    publish(first, rolled);
    verifier.verify(token(rolled, "n2"), "n2", true);
    assertTrue(fetches.get() >= 2, "a new key id is fetched");
  }

  @Test
  void a_sign_in_host_that_does_not_answer_at_start_stops_the_worker_naming_host_and_proxy() {
    KeysUnavailableException e =
        assertThrows(
            KeysUnavailableException.class,
            () ->
                IdTokenVerifier.fetching(
                    trust, java.net.URI.create("http://127.0.0.1:1/keys").toURL()));
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dhttps.proxyHost"), e.getMessage());
  }

  @Test
  void a_fetch_that_fails_during_a_step_is_retried_never_a_refusal() throws Exception {
    RSAKey first = key("first");
    publish(first);
    IdTokenVerifier verifier = IdTokenVerifier.fetching(trust, keysUrl());
    server.stop(0); // The host goes away; a token signed with a key the cache lacks arrives.
    server = null;
    RSAKey rolled = key("rolled");

    assertThrows(
        KeysUnavailableException.class, () -> verifier.verify(token(rolled, "n"), "n", true));
    ApprovalGuard guard =
        new ApprovalGuard(
            verifier,
            ApprovalLedger.inMemory(),
            (ns, wf, run) ->
                new StartedRun(ns, wf, run, run, java.time.Instant.now(), null, null, null));
    var binding =
        new DecisionBinding(
            "default",
            "wf",
            "run",
            "DELETE_APPLICATIONS@directory",
            "plan",
            java.util.Map.of(
                ProvenParameters.DELETE_APPLICATION, ProvenParameters.list(List.of("obj-1"))),
            DecisionBinding.APPROVE);
    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () ->
                guard.authorize(
                    new StepAuthorization(
                        null, ApprovalProof.of(token(rolled, binding.nonce()), binding)),
                    new ApprovalGuard.Scheduling(new RunRef("default", "wf", "run"), "1", 1L),
                    "DELETE_APPLICATIONS@directory",
                    "obj-1",
                    java.util.Map.of()));
    assertFalse(failure.isNonRetryable(), failure.getMessage());
  }

  private URL keysUrl() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/keys",
        exchange -> {
          fetches.incrementAndGet();
          byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return java.net
        .URI
        .create("http://127.0.0.1:" + server.getAddress().getPort() + "/keys")
        .toURL();
  }

  private void publish(RSAKey... keys) {
    published.set(new JWKSet(List.of(keys)).toPublicJWKSet());
  }

  private static RSAKey key(String kid) throws Exception {
    return new RSAKeyGenerator(2048).keyID(kid).generate();
  }

  private String token(RSAKey key, String nonce) throws Exception {
    Date now = new Date();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(trust.issuer())
            .audience(APP)
            .issueTime(now)
            .expirationTime(new Date(now.getTime() + 600_000))
            .claim("tid", TENANT)
            .claim("oid", "11111111-1111-1111-1111-111111111111")
            .claim("preferred_username", "alice@contoso.com")
            .claim("nonce", nonce)
            .claim("roles", List.of(ApprovalTrust.DEFAULT_APPROVER_ROLE))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }
}
