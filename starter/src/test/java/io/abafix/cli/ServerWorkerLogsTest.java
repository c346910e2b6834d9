package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.model.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Every line a server worker logs during a run says which run, server and step it is about. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerWorkerLogsTest {

  @Test
  @Timeout(120)
  void every_line_a_server_worker_logs_during_a_run_names_the_run_the_server_and_the_step() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    root.addAppender(lines);
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    String id;
    try (DemoEnvironment env = DemoEnvironment.start(lab)) {
      id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
      var result =
          new RunFollower(
                  env.client(),
                  id,
                  new PrintWriter(new StringWriter()),
                  env.approver("bob"),
                  Duration.ofMillis(50))
              .follow();
      assertEquals(Outcome.SUCCEEDED, result.outcome());
    } finally {
      root.detachAppender(lines);
    }

    // Activity threads are named for their task queue; heartbeat threads work for one step.
    List<ILoggingEvent> serverLines =
        lines.list.stream()
            .filter(
                e ->
                    e.getThreadName().contains("abafix-server-")
                        || e.getThreadName().startsWith("abafix-heartbeat"))
            .toList();
    assertTrue(serverLines.size() >= 20, "a run logs every step: " + serverLines.size());
    for (ILoggingEvent e : serverLines) {
      Map<String, String> mdc = e.getMDCPropertyMap();
      String line = e.getThreadName() + ": " + e.getFormattedMessage() + " " + mdc;
      assertEquals(id, mdc.get("run"), line);
      assertEquals(lab.tenantDomain(), mdc.get("tenant"), line);
      assertTrue(mdc.get("step") != null && !mdc.get("step").isBlank(), line);
      String server = mdc.get("server");
      assertTrue(
          server != null
              && (e.getThreadName().startsWith("abafix-heartbeat")
                  || e.getThreadName()
                      .contains("abafix-server-" + server.toLowerCase(Locale.ROOT))),
          line);
    }
    Set<String> servers =
        serverLines.stream()
            .map(e -> e.getMDCPropertyMap().get("server"))
            .collect(Collectors.toSet());
    assertEquals(Set.copyOf(lab.serverNames()), servers, "both servers' workers logged");
  }
}
