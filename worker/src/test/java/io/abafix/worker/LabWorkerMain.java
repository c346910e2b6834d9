package io.abafix.worker;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code abafix-worker} for the lab, on the test classpath only: the production command line, with
 * the directory worker sent to the lab's fake Entra ID. Takes two options of its own before the
 * production ones, both loopback-only: {@code --lab-graph-base-url URL} and {@code
 * --lab-identity-endpoint URL}. The production {@link WorkerMain} knows neither: it refuses them as
 * unknown options (exit 2).
 */
public final class LabWorkerMain {
  private LabWorkerMain() {}

  public static void main(String[] args) {
    System.exit(run(args, new WorkerProcess(), LocalMachine.current()));
  }

  static int run(String[] args, Launcher launcher, LocalMachine machine) {
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
