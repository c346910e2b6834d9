package io.abafix.bench;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Plain Temporal: one stub, default retries, each activity awaited before the next starts. */
public final class NoOpWorkflowImpl implements NoOpWorkflow {
  @Override
  public int run(String taskQueue, int activities) {
    NoOpActivities steps =
        Workflow.newActivityStub(
            NoOpActivities.class,
            ActivityOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .build());
    int done = 0;
    for (int i = 0; i < activities; i++) done += steps.noOp(1);
    return done;
  }
}
