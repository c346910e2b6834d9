package io.abafix.worker;

import picocli.CommandLine.Option;

/**
 * Where the Temporal cluster is: the standard TEMPORAL_* environment (address, namespace, API key,
 * TLS), or {@code --address} for the address alone.
 */
final class ConnectionOptions {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend (default: TEMPORAL_ADDRESS, else localhost:7233)")
  String address;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve the Temporal SDK's metrics for Prometheus at http://HOST:PORT/metrics (default: off)")
  Integer metricsPort;

  @Option(
      names = "--metrics-host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description =
          "Where --metrics-port listens (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
  String metricsHost;
}
