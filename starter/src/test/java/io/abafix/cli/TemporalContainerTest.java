package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The seed-pair remediation against a real Temporal server in a container (the Temporal CLI's
 * single-binary dev server), instead of the in-memory one. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TemporalContainerTest {
  // The Temporal CLI image; pinned, since "latest" would change what this test proves.
  @Container
  private static final GenericContainer<?> TEMPORAL =
      new GenericContainer<>("temporalio/temporal:1.3.0")
          .withCommand("server", "start-dev", "--ip", "0.0.0.0", "--headless")
          .withExposedPorts(7233)
          .waitingFor(Wait.forListeningPort())
          .withStartupTimeout(Duration.ofMinutes(2));

  @Test
  void the_seed_pair_is_remediated_against_a_real_temporal_server() {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    String address = TEMPORAL.getHost() + ":" + TEMPORAL.getMappedPort(7233);
    try (DemoEnvironment env = DemoEnvironment.startAgainst(lab, address)) {
      String id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
      RemediationResult result =
          new RunFollower(
                  env.client(),
                  id,
                  new PrintWriter(new StringWriter()),
                  env.approver("bob"),
                  Duration.ofMillis(200))
              .follow();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
    }
    LabSnapshot end = lab.snapshot();
    assertNotEquals(end.server("SERVERA").applicationId(), end.server("SERVERB").applicationId());
  }
}
