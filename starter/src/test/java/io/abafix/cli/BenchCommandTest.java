package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BenchCommandTest {

  @Test
  void
      the_benchmark_fleet_is_a_valid_scenario_where_one_server_works_and_the_rest_are_locked_out() {
    Lab lab = Lab.fromScenario(Scenario.fromJson(BenchCommand.fleet(5), "bench-5"), () -> 0L);

    assertEquals(5, lab.serverNames().size());
    var snapshot = lab.snapshot();
    assertTrue(snapshot.server("SRV01").authenticates());
    for (int i = 2; i <= 5; i++) assertTrue(!snapshot.server("SRV0" + i).authenticates());
    assertEquals(1, snapshot.applications().size());
  }
}
