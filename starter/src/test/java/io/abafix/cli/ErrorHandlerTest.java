package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The exit code and the one line come from the cause, wherever the SDK wrapped it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ErrorHandlerTest {

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Override
    public void run() {}
  }

  private record Handled(int code, String line) {}

  private static Handled handle(Exception e) {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Probe()).setErr(new PrintWriter(err));
    int code = new ErrorHandler().handleExecutionException(e, cmd, null);
    return new Handled(code, err.toString().strip());
  }

  private static WorkflowServiceException wrapped(Status status) {
    return new WorkflowServiceException(
        WorkflowExecution.newBuilder().setWorkflowId("abafix-remediation-x").build(),
        "SharedAppRemediationWorkflow",
        status.asRuntimeException());
  }

  @Test
  void a_missing_run_behind_a_service_exception_is_not_found() {
    Handled h = handle(wrapped(Status.NOT_FOUND.withDescription("workflow not found")));
    assertEquals(ErrorHandler.NOT_FOUND, h.code(), h.line());
    assertTrue(h.line().startsWith("abafix: no such run"), h.line());
    assertTrue(h.line().contains("--address"), "says how to keep a demo's run: " + h.line());
  }

  @Test
  void an_unreachable_temporal_behind_a_service_exception_is_unreachable() {
    Handled h = handle(wrapped(Status.UNAVAILABLE.withDescription("io exception")));
    assertEquals(ErrorHandler.UNREACHABLE, h.code(), h.line());
    assertTrue(h.line().startsWith("abafix: cannot reach Temporal"), h.line());
  }

  @Test
  void anything_else_is_one_line_starting_with_abafix() {
    Handled h = handle(new IllegalStateException("boom"));
    assertEquals(ErrorHandler.RUN_FAILED, h.code());
    assertEquals("abafix: IllegalStateException: boom", h.line());
  }
}
