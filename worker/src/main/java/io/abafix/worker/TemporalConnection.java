package io.abafix.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.envconfig.ClientConfigProfile;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A client for the Temporal cluster named by the standard environment: {@code TEMPORAL_ADDRESS},
 * {@code TEMPORAL_NAMESPACE}, {@code TEMPORAL_API_KEY}, the {@code TEMPORAL_TLS_*} paths, or a TOML
 * profile (temporal-envconfig conventions). Without any of them: {@code localhost:7233}, namespace
 * {@code default}.
 */
public final class TemporalConnection {
  private TemporalConnection() {}

  /** Connects using the environment; {@code addressOverride} (may be null) wins over it. */
  public static WorkflowClient fromEnvironment(String addressOverride) {
    ClientConfigProfile profile;
    try {
      profile = ClientConfigProfile.load();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Temporal client configuration", e);
    }
    var stubOptions =
        io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder(
            profile.toWorkflowServiceStubsOptions());
    if (addressOverride != null && !addressOverride.isBlank())
      stubOptions.setTarget(addressOverride);
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(stubOptions.build());
    return WorkflowClient.newInstance(service, profile.toWorkflowClientOptions());
  }

  /**
   * A client for a server at {@code address} in namespace {@code default}, e.g. the embedded one.
   */
  public static WorkflowClient at(String address) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address)
                .build());
    return WorkflowClient.newInstance(service);
  }
}
