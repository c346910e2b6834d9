package io.abafix.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The baseline of the overhead benchmark: K no-op activities, one after another. */
@WorkflowInterface
public interface NoOpWorkflow {
  /**
   * Runs {@code activities} no-op activities in sequence on {@code taskQueue}.
   *
   * @return how many ran
   */
  @WorkflowMethod
  int run(String taskQueue, int activities);
}
