package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every stored history against today's workflow code, so that a change that would break
 * runs already in flight fails here rather than in a tenant. Histories live in {@code
 * histories/<workflow type>/}, one per state worth keeping (completed, compensated, waiting for a
 * person, nothing to do); {@link HistoryRecorder} records them from lab runs through the production
 * adapters. A file dropped into a folder is replayed without any change here.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredHistoriesReplayTest {
  /** Each workflow type, by the folder its histories are in, with the code that replays them. */
  private static final Map<String, Class<?>> IMPLEMENTATIONS =
      Map.of(
          "SharedAppRemediationWorkflow", SharedAppRemediationWorkflowImpl.class,
          "ConnectorParameterRepairWorkflow", ConnectorParameterRepairWorkflowImpl.class,
          "IncidentWorkflow", IncidentWorkflowImpl.class,
          "FleetDiagnosisWorkflow", FleetDiagnosisWorkflowImpl.class,
          "FleetCaptureWorkflow", FleetCaptureWorkflowImpl.class);

  static Stream<Arguments> storedHistories() throws IOException, URISyntaxException {
    List<Arguments> all = new ArrayList<>();
    for (String type : new TreeSet<>(IMPLEMENTATIONS.keySet())) {
      for (Path file : histories(type)) {
        all.add(arguments(type, file.getFileName().toString().replace(".json", ""), file));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("storedHistories")
  void a_stored_history_replays_without_nondeterminism(String type, String name, Path file)
      throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        Files.readString(file, StandardCharsets.UTF_8), IMPLEMENTATIONS.get(type));
  }

  @Test
  void every_workflow_has_the_histories_the_recorder_keeps() throws Exception {
    for (HistoryRecorder.History h : HistoryRecorder.History.values()) {
      String type = h.workflow.getSimpleName();
      assertEquals(
          true,
          histories(type).stream()
              .anyMatch(p -> p.getFileName().toString().equals(h.name + ".json")),
          type + "/" + h.name + ".json is stored");
    }
    for (String type : IMPLEMENTATIONS.keySet()) {
      assertEquals(false, histories(type).isEmpty(), type + " has a stored history");
    }
  }

  private static List<Path> histories(String type) throws IOException, URISyntaxException {
    var folder = StoredHistoriesReplayTest.class.getResource("/histories/" + type);
    if (folder == null) return List.of();
    try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
