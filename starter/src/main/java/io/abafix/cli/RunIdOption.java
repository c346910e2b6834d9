package io.abafix.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * {@code --run-id}: which run of a workflow id a read command reads. A workflow id names a tenant's
 * remediation, and each remediation of that tenant is a run of it; without the option the latest is
 * read, with it an earlier one stays readable.
 */
final class RunIdOption {
  private static final Pattern RUN_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  @Option(
      names = "--run-id",
      paramLabel = "RUN_ID",
      description =
          "Read this run of the workflow id instead of the latest (a journal's runId, or the run"
              + " abafix list and the Web UI show)")
  String runId;

  private String checked;

  /**
   * A stub of the chosen run of {@code workflowId}: the latest, or the one {@code --run-id} names.
   *
   * @throws UserError when {@code --run-id} is not a run id, or not a run of {@code workflowId}
   */
  <T> T stub(WorkflowClient client, Class<T> type, String workflowId) {
    return client.newWorkflowStub(type, workflowId, run(client, workflowId));
  }

  /** As {@link #stub}, untyped: for the run's result. */
  WorkflowStub untyped(WorkflowClient client, String workflowId) {
    return client.newUntypedWorkflowStub(workflowId, run(client, workflowId), Optional.empty());
  }

  /** How a command the output suggests names the same run: {@code " --run-id ID"}, or nothing. */
  String suffix() {
    return runId == null ? "" : " --run-id " + runId.trim();
  }

  /** The run id, checked to be a run of {@code workflowId} before anything is read from it. */
  private Optional<String> run(WorkflowClient client, String workflowId) {
    if (runId == null) return Optional.empty();
    String id = runId.trim();
    if (id.equals(checked)) return Optional.of(id);
    if (!RUN_ID.matcher(id).matches()) {
      throw new UserError(
          "--run-id " + runId + " is not a run id: it is a UUID, e.g. a journal record's runId");
    }
    try {
      client.newUntypedWorkflowStub(workflowId, Optional.of(id), Optional.empty()).describe();
    } catch (WorkflowNotFoundException e) {
      throw noSuchRun(workflowId, id);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code != Status.Code.NOT_FOUND && code != Status.Code.INVALID_ARGUMENT) throw e;
      throw noSuchRun(workflowId, id);
    }
    checked = id;
    return Optional.of(id);
  }

  private static UserError noSuchRun(String workflowId, String runId) {
    return new UserError(
        workflowId
            + " has no run "
            + runId
            + " (or Temporal no longer keeps it): check the run id, or drop --run-id to read the"
            + " latest run");
  }
}
