package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.Workers;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;

/**
 * Everything the demo runs in one process: the embedded Temporal server, a client, and the
 * orchestrator, directory and per-server workers wired to the lab through the production adapters.
 */
final class DemoEnvironment implements AutoCloseable {
  private final EmbeddedTemporal temporal;
  private final LabAdapters adapters;
  private final AesGcmPayloadCodec codec;
  private final WorkflowClient client;
  private final WorkerFactory factory;

  private DemoEnvironment(
      EmbeddedTemporal temporal,
      LabAdapters adapters,
      AesGcmPayloadCodec codec,
      WorkflowClient client,
      WorkerFactory factory) {
    this.temporal = temporal;
    this.adapters = adapters;
    this.codec = codec;
    this.client = client;
    this.factory = factory;
  }

  /**
   * Wires the workers through the production adapters (PowerShell, msal4j and Graph), with the lab
   * underneath them.
   */
  static DemoEnvironment start(Lab lab) {
    return start(lab, EmbeddedTemporal.start(0));
  }

  /**
   * The same against a Temporal server that is already running (a container, a dev server); {@code
   * temporal} is then null and stays up after {@link #close()}.
   */
  static DemoEnvironment startAgainst(Lab lab, String address) {
    return startAgainst(lab, address, PayloadEncryption.ephemeral());
  }

  /** As {@link #startAgainst(Lab, String)}, with a payload key that other clients share. */
  static DemoEnvironment startAgainst(Lab lab, String address, AesGcmPayloadCodec codec) {
    return start(lab, address, null, codec);
  }

  private static DemoEnvironment start(Lab lab, EmbeddedTemporal embedded) {
    // A key of its own: the demo's history lives and dies with this process.
    return start(lab, embedded.address(), embedded, PayloadEncryption.ephemeral());
  }

  private static DemoEnvironment start(
      Lab lab, String address, EmbeddedTemporal temporal, AesGcmPayloadCodec codec) {
    LabAdapters adapters = LabAdapters.start(lab);
    WorkflowClient client = TemporalConnection.at(address, codec);
    WorkerFactory factory = Workers.factory(client);
    Workers.orchestrator(factory);
    Workers.directory(factory, lab.tenantDomain(), adapters.directory());
    adapters.hosts().forEach(host -> Workers.server(factory, lab.tenantDomain(), host));
    factory.start();
    return new DemoEnvironment(temporal, adapters, codec, client, factory);
  }

  String address() {
    return client.getWorkflowServiceStubs().getOptions().getTarget();
  }

  /** Whether the Temporal server is this process's own, gone when it closes. */
  boolean embedded() {
    return temporal != null;
  }

  AesGcmPayloadCodec codec() {
    return codec;
  }

  WorkflowClient client() {
    return client;
  }

  /** The production adapters over the lab, e.g. for the event-driven demo's watchers. */
  LabAdapters adapters() {
    return adapters;
  }

  @Override
  public void close() {
    // Workers first, then the connection, then the server: closing the server under live long
    // polls makes gRPC report every cancelled poll on stderr.
    factory.shutdownNow();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    client.getWorkflowServiceStubs().shutdownNow();
    client.getWorkflowServiceStubs().awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    adapters.close();
    if (temporal != null) temporal.close();
  }
}
