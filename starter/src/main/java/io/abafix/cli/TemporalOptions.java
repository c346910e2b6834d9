package io.abafix.cli;

import io.abafix.worker.TemporalConnection;
import io.abafix.workflows.codec.PayloadEncryption;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the Temporal cluster is (the standard TEMPORAL_* environment, or --address) and which key
 * reads its payloads (ABAFIX_ENCRYPTION_KEY_FILE, or --encryption-key-file).
 */
final class TemporalOptions {
  @Option(
      names = "--address",
      description = "Temporal frontend host:port (default: TEMPORAL_ADDRESS, else localhost:7233)")
  String address;

  @Option(
      names = "--encryption-key-file",
      description = "The payload key the workers use (default: ABAFIX_ENCRYPTION_KEY_FILE)")
  Path keyFile;

  @Option(
      names = "--namespace",
      description = "Temporal namespace (default: TEMPORAL_NAMESPACE, else default)")
  String namespace;

  WorkflowClient connect() {
    return inNamespace(
        TemporalConnection.fromEnvironment(
            address,
            name ->
                keyFile != null && name.equals(PayloadEncryption.KEY_FILE)
                    ? keyFile.toString()
                    : System.getenv(name)));
  }

  /**
   * A client for a command that reads and writes no payload (the operator API, the visibility
   * list): it needs no payload key, and the key options are not read.
   */
  WorkflowClient connectWithoutPayloads() {
    return inNamespace(TemporalConnection.withoutPayloads(address));
  }

  private WorkflowClient inNamespace(WorkflowClient client) {
    if (namespace == null || namespace.isBlank()) return client;
    return WorkflowClient.newInstance(
        client.getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder(client.getOptions()).setNamespace(namespace).build());
  }
}
