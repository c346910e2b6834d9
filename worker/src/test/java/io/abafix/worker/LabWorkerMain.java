package io.abafix.worker;

import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.lab.process.LabTopology;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code abafix-worker} for the lab, on the test classpath only: the production command line, with
 * two differences no production option can make. Approvals are verified with the keys the lab's
 * fake Entra ID publishes at {@code ABAFIX_LAB_JWKS_URL} instead of Entra ID's; and the directory
 * worker is sent to the lab's fake Entra ID by two options of this entry point's own, taken before
 * the production ones, both loopback-only: {@code --lab-graph-base-url URL} and {@code
 * --lab-identity-endpoint URL}. The production {@link WorkerMain} knows neither: it refuses them as
 * unknown options (exit 2).
 */
public final class LabWorkerMain {
  public static final String JWKS_URL = LabTopology.JWKS_URL;

  private LabWorkerMain() {}

  public static void main(String[] args) throws MalformedURLException {
    String jwks = System.getenv(JWKS_URL);
    if (jwks == null) throw new IllegalStateException(JWKS_URL + " is not set");
    var keys = JWKSourceBuilder.<SecurityContext>create(loopback(jwks).toURL()).build();
    System.exit(
        run(
            args,
            new WorkerProcess(),
            LocalMachine.current(),
            trust -> new IdTokenVerifier(trust, keys, Clock.systemUTC())));
  }

  static int run(
      String[] args,
      Launcher launcher,
      LocalMachine machine,
      Function<ApprovalTrust, IdTokenVerifier> keys) {
    URI graph = null;
    URI identity = null;
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--lab-graph-base-url") && i + 1 < args.length) {
        graph = loopback(args[++i]);
      } else if (args[i].equals("--lab-identity-endpoint") && i + 1 < args.length) {
        identity = loopback(args[++i]);
      } else {
        rest.add(args[i]);
      }
    }
    URI graphBaseUrl = graph;
    URI identityEndpoint = identity;
    return WorkerMain.commandLine(
            launcher,
            machine,
            keys,
            config -> {
              var c = graphBaseUrl == null ? config : config.withGraphBaseUrl(graphBaseUrl);
              return identityEndpoint == null
                  ? c
                  : c.withIdentityEndpointOverride(identityEndpoint);
            })
        .execute(rest.toArray(String[]::new));
  }

  /** The lab listens on loopback only; refusing anything else keeps the assertion on the box. */
  private static URI loopback(String value) {
    URI url = URI.create(value);
    try {
      if (url.getHost() != null && InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
        return url;
      }
    } catch (UnknownHostException e) {
      // fall through
    }
    throw new IllegalArgumentException("the lab's endpoints are on loopback, not " + value);
  }
}
