package io.abafix.worker;

import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A client for the Temporal cluster named by the standard environment: {@code TEMPORAL_ADDRESS},
 * {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, the {@code TEMPORAL_TLS_*} paths, or a TOML
 * profile (temporal-envconfig conventions). Without any of them: {@code localhost:7233}, namespace
 * {@code default}. Every client encrypts its payloads (see {@link PayloadEncryption}); workers
 * created from it inherit that.
 */
public final class TemporalConnection {
  private TemporalConnection() {}

  /**
   * Connects using the environment; {@code addressOverride} (may be null) wins over it.
   *
   * @throws IllegalArgumentException when no payload key is configured
   */
  public static WorkflowClient fromEnvironment(String addressOverride) {
    return fromEnvironment(addressOverride, System::getenv);
  }

  /** As {@link #fromEnvironment(String)}, with the payload key read from {@code environment}. */
  public static WorkflowClient fromEnvironment(
      String addressOverride, java.util.function.Function<String, String> environment) {
    return fromEnvironment(addressOverride, environment, null);
  }

  /**
   * As {@link #fromEnvironment(String, java.util.function.Function)}, reporting the SDK's metrics
   * (of the client and of every worker built on it) to {@code metrics}, when not null.
   */
  public static WorkflowClient fromEnvironment(
      String addressOverride,
      java.util.function.Function<String, String> environment,
      com.uber.m3.tally.Scope metrics) {
    AesGcmPayloadCodec codec = PayloadEncryption.fromEnvironment(environment);
    ClientConfigProfile profile;
    try {
      profile = ClientConfigProfile.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Temporal client configuration", e);
    }
    var stubOptions =
        WorkflowServiceStubsOptions.newBuilder(profile.toWorkflowServiceStubsOptions());
    if (addressOverride != null && !addressOverride.isBlank()) {
      stubOptions.setTarget(addressOverride);
    }
    if (metrics != null) stubOptions.setMetricsScope(metrics);
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(stubOptions.build());
    return WorkflowClient.newInstance(
        service,
        WorkflowClientOptions.newBuilder(profile.toWorkflowClientOptions())
            .setDataConverter(PayloadEncryption.dataConverter(codec))
            .build());
  }

  /**
   * A client for a server at {@code address} in namespace {@code default}, e.g. the embedded one.
   */
  public static WorkflowClient at(String address, AesGcmPayloadCodec codec) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    return WorkflowClient.newInstance(
        service,
        WorkflowClientOptions.newBuilder()
            .setDataConverter(PayloadEncryption.dataConverter(codec))
            .build());
  }
}
