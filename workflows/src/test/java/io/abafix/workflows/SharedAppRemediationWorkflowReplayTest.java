package io.abafix.workflows;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays stored histories against today's workflow code, so that a change that would break runs
 * already in flight fails here rather than in a tenant. The histories were recorded from lab runs
 * through the production adapters; record a new one when the workflow changes on purpose (and guard
 * the change with {@code Workflow.getVersion}).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SharedAppRemediationWorkflowReplayTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"cloned-pair-succeeded", "seed-pair-deletion-rejected"})
  void stored_histories_replay_without_nondeterminism(String history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(read(history), SharedAppRemediationWorkflowImpl.class);
  }

  private static String read(String name) throws IOException {
    try (InputStream in =
        SharedAppRemediationWorkflowReplayTest.class.getResourceAsStream(
            "/histories/" + name + ".json")) {
      if (in == null) throw new IOException("no stored history " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
