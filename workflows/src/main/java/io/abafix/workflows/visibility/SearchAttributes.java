package io.abafix.workflows.visibility;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The search attributes abafix puts on its runs, so that a cluster's visibility (the Web UI, {@code
 * temporal workflow list}, {@code abafix list}) can find them by tenant, server, kind, phase, what
 * they wait for and how they ended.
 *
 * <p>A run carries them only where they are registered: upserting an attribute the cluster does not
 * know fails the workflow task, and the run would stall. {@code abafix setup} registers them; a
 * starter asks {@link #registeredOn} and starts the run with {@link #atStart} only when it is true.
 * The run then upserts the rest itself (see {@link RunVisibility}).
 *
 * <p>Their values are not encrypted (the cluster must be able to index them): tenant and server
 * names, step names and outcomes, never a secret.
 */
public final class SearchAttributes {
  private SearchAttributes() {}

  public static final SearchAttributeKey<String> TENANT =
      SearchAttributeKey.forKeyword("AbafixTenant");
  public static final SearchAttributeKey<List<String>> SERVERS =
      SearchAttributeKey.forKeywordList("AbafixServers");
  public static final SearchAttributeKey<String> WORKFLOW_KIND =
      SearchAttributeKey.forKeyword("AbafixWorkflowKind");
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("AbafixPhase");
  public static final SearchAttributeKey<String> WAITING_FOR =
      SearchAttributeKey.forKeyword("AbafixWaitingFor");
  public static final SearchAttributeKey<String> OUTCOME =
      SearchAttributeKey.forKeyword("AbafixOutcome");

  /** Every attribute abafix uses, in the order {@code abafix setup} reports them. */
  public static final List<SearchAttributeKey<?>> ALL =
      List.of(TENANT, SERVERS, WORKFLOW_KIND, PHASE, WAITING_FOR, OUTCOME);

  /** The value of {@link #WORKFLOW_KIND} for each workflow. */
  public static final String KIND_REMEDIATION = "remediation";

  public static final String KIND_REPAIR = "repair";
  public static final String KIND_INCIDENT = "incident";
  public static final String KIND_DIAGNOSIS = "diagnosis";

  /** The attributes a run starts with; the run upserts phase, waiting-for and outcome later. */
  public static io.temporal.common.SearchAttributes atStart(
      String kind, String tenant, Collection<String> servers, String phase) {
    var b = io.temporal.common.SearchAttributes.newBuilder().set(WORKFLOW_KIND, kind);
    if (tenant != null) b.set(TENANT, tenant.toLowerCase(java.util.Locale.ROOT));
    if (servers != null && !servers.isEmpty()) b.set(SERVERS, List.copyOf(servers));
    if (phase != null) b.set(PHASE, phase);
    return b.build();
  }

  /**
   * Whether every abafix attribute is registered in the client's namespace, asked of the operator
   * service. False where the cluster cannot say (Temporal's in-memory server implements no
   * ListSearchAttributes) or where any is missing.
   */
  public static boolean registeredOn(WorkflowClient client) {
    return missing(client).map(List::isEmpty).orElse(false);
  }

  /**
   * The attributes the namespace lacks, or empty when the cluster cannot list its attributes.
   *
   * @throws IllegalStateException when a name is registered with another type
   */
  public static Optional<List<SearchAttributeKey<?>>> missing(WorkflowClient client) {
    Map<String, IndexedValueType> known;
    try {
      known = withOperator(client, op -> list(op, client.getOptions().getNamespace()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) return Optional.empty();
      throw e;
    }
    List<SearchAttributeKey<?>> missing = new ArrayList<>();
    for (SearchAttributeKey<?> key : ALL) {
      IndexedValueType type = known.get(key.getName());
      if (type == null) {
        missing.add(key);
      } else if (type != key.getValueType()) {
        throw new IllegalStateException(
            "search attribute "
                + key.getName()
                + " is registered as "
                + type
                + ", abafix needs "
                + key.getValueType()
                + ": remove it (temporal operator search-attribute remove) and run abafix setup");
      }
    }
    return Optional.of(missing);
  }

  /** Registers {@code keys} in the client's namespace (AddSearchAttributes). */
  public static void register(WorkflowClient client, Collection<SearchAttributeKey<?>> keys) {
    var request =
        AddSearchAttributesRequest.newBuilder().setNamespace(client.getOptions().getNamespace());
    keys.forEach(k -> request.putSearchAttributes(k.getName(), k.getValueType()));
    withOperator(client, op -> op.blockingStub().addSearchAttributes(request.build()));
  }

  private static Map<String, IndexedValueType> list(OperatorServiceStubs op, String namespace) {
    return op.blockingStub()
        .listSearchAttributes(
            ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
        .getCustomAttributesMap();
  }

  /** The operator service at the client's address, with its TLS, credentials and headers. */
  private static <T> T withOperator(WorkflowClient client, Function<OperatorServiceStubs, T> call) {
    OperatorServiceStubs op =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(client.getWorkflowServiceStubs().getOptions())
                .validateAndBuildWithDefaults());
    try {
      return call.apply(op);
    } finally {
      op.shutdownNow();
    }
  }
}
