package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.Workers;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import java.security.KeyPair;
import java.security.PublicKey;

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
  private final Lab lab;
  private final PublicKey auditPublicKey;

  private DemoEnvironment(
      EmbeddedTemporal temporal,
      LabAdapters adapters,
      AesGcmPayloadCodec codec,
      WorkflowClient client,
      WorkerFactory factory,
      Lab lab,
      PublicKey auditPublicKey) {
    this.lab = lab;
    this.auditPublicKey = auditPublicKey;
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

  static DemoEnvironment start(Lab lab, EmbeddedTemporal embedded) {
    // A key of its own: the demo's history lives and dies with this process.
    return start(lab, embedded.address(), embedded, PayloadEncryption.ephemeral());
  }

  private static DemoEnvironment start(
      Lab lab, String address, EmbeddedTemporal temporal, AesGcmPayloadCodec codec) {
    LabAdapters adapters = LabAdapters.start(lab);
    WorkflowClient client = TemporalConnection.at(address, codec);
    WorkerFactory factory = Workers.factory(client);
    KeyPair auditKeys = AuditSigning.newKeyPair();
    Workers.orchestrator(factory, AuditSigning.of(auditKeys));
    Workers.directory(
        factory, lab.tenantDomain(), adapters.directory(), lab.identities().guard(false));
    adapters
        .hosts()
        .forEach(
            host ->
                Workers.server(factory, lab.tenantDomain(), host, lab.identities().guard(false)));
    factory.start();
    return new DemoEnvironment(
        temporal, adapters, codec, client, factory, lab, auditKeys.getPublic());
  }

  String address() {
    return client.getWorkflowServiceStubs().getOptions().getTarget();
  }

  /** Verifies the journals this demo's orchestrator signs (its key is a throwaway one). */
  PublicKey auditPublicKey() {
    return auditPublicKey;
  }

  /** Whether the Temporal server is this process's own, gone when it closes. */
  boolean embedded() {
    return temporal != null;
  }

  /**
   * Lets the embedded server's clock pass {@code deadlineMillis} (its own clock), skipping what no
   * running step needs: a wait nobody will end (an approval nobody else gives) ends now, as it
   * would at its deadline. Against an external server, time passes at its own rate.
   */
  void skipPast(long deadlineMillis) {
    if (temporal == null) return;
    try (SkippedTime time = temporal.time()) {
      time.sleep(java.time.Duration.ofMillis(Math.max(0, deadlineMillis - time.now()) + 1_000));
    }
  }

  AesGcmPayloadCodec codec() {
    return codec;
  }

  WorkflowClient client() {
    return client;
  }

  /**
   * A lab user who approves by signing in: msal4j's interactive sign-in (authorization code with
   * PKCE) against the lab's fake Entra ID, through a lab browser in which {@code user} signs in.
   */
  AutoApprover approver(String user) {
    return approverIn(lab, adapters, user);
  }

  /** As {@link #approver(String)}, for a lab whose adapters run elsewhere. */
  static AutoApprover approverIn(Lab lab, LabAdapters adapters, String user) {
    return AutoApprover.atLab(
        lab.identities().trust(false),
        adapters.entra().identityEndpoint(),
        lab.identities().requireUser(user).upn());
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
