package io.abafix.cli;

import io.abafix.worker.TemporalConnection;
import io.temporal.client.WorkflowClient;
import picocli.CommandLine.Option;

/** Where the Temporal cluster is: the standard TEMPORAL_* environment, or --address. */
final class TemporalOptions {
  @Option(
      names = "--address",
      description = "Temporal frontend host:port (default: TEMPORAL_ADDRESS, else localhost:7233)")
  String address;

  WorkflowClient connect() {
    return TemporalConnection.fromEnvironment(address);
  }
}
