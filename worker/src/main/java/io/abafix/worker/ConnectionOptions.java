package io.abafix.worker;

import io.abafix.worker.logging.LogFormat;
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
      names = "--log-format",
      paramLabel = "FORMAT",
      description =
          "How log lines look on stderr: ${COMPLETION-CANDIDATES} (default: ABAFIX_LOG_FORMAT, else"
              + " text)")
  void logFormat(LogFormat format) {
    format.use();
  }
}
