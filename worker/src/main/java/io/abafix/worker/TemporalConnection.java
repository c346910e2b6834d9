package io.abafix.worker;

import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

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
    return connect(addressOverride, PayloadEncryption.dataConverter(codec), metrics);
  }

  /**
   * A client for what reads and writes no payload (the operator API, the visibility list), so needs
   * no payload key: any payload it would read or write is refused instead.
   */
  public static WorkflowClient withoutPayloads(String addressOverride) {
    return connect(
        addressOverride,
        new CodecDataConverter(
            DefaultDataConverter.newDefaultInstance(), List.of(new NoPayloads()), true),
        null);
  }

  private static WorkflowClient connect(
      String addressOverride, DataConverter converter, com.uber.m3.tally.Scope metrics) {
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
            .setDataConverter(converter)
            .build());
  }

  /** The codec of a client that has no payload key: it refuses every payload. */
  private static final class NoPayloads implements PayloadCodec {
    @Override
    public List<Payload> encode(List<Payload> payloads) {
      throw refused();
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
      throw refused();
    }

    private static IllegalStateException refused() {
      return new IllegalStateException(
          "this command has no payload key and reads or writes no payload: set "
              + PayloadEncryption.KEY_FILE
              + " for a command that does");
    }
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
