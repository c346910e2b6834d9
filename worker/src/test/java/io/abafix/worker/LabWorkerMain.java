package io.abafix.worker;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.lab.process.LabTopology;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;

/**
 * The lab's entry point to {@code abafix-worker}, in the tests only: the production command line,
 * except that approvals are verified with the keys the lab's fake Entra ID publishes at {@code
 * ABAFIX_LAB_JWKS_URL} (plain HTTP on loopback) instead of Entra ID's. No production option can do
 * this.
 */
public final class LabWorkerMain {
  public static final String JWKS_URL = LabTopology.JWKS_URL;

  private LabWorkerMain() {}

  public static void main(String[] args) throws MalformedURLException {
    String jwks = System.getenv(JWKS_URL);
    if (jwks == null) throw new IllegalStateException(JWKS_URL + " is not set");
    var keys = JWKSourceBuilder.<SecurityContext>create(URI.create(jwks).toURL()).build();
    System.exit(
        WorkerMain.commandLine(
                new WorkerProcess(),
                LocalMachine.current(),
                trust -> new IdTokenVerifier(trust, keys, Clock.systemUTC()))
            .execute(args));
  }
}
