package io.abafix.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FleetsTest {

  @Test
  void
      each_pair_shares_an_app_of_its_own_where_the_first_server_works_and_the_second_is_locked_out() {
    Lab lab = Lab.fromScenario(Fleets.pairs(3, false, 0, Map.of()), () -> 0L);

    assertEquals(6, lab.serverNames().size());
    var snapshot = lab.snapshot();
    assertEquals(3, snapshot.applications().size());
    for (int i = 1; i <= 3; i++) {
      assertTrue(snapshot.server(Fleets.pair(i).get(0)).authenticates());
      assertFalse(snapshot.server(Fleets.pair(i).get(1)).authenticates());
    }
  }

  @Test
  void a_cloned_pair_has_one_machine_id_and_the_lab_takes_its_latencies() {
    Lab lab =
        Lab.fromScenario(
            Fleets.pairs(1, true, 15, PausedWindowBench.REAL_LATENCY_MILLIS), () -> 0L);

    var snapshot = lab.snapshot();
    assertEquals(
        snapshot.server(Fleets.pair(1).get(0)).machineId(),
        snapshot.server(Fleets.pair(1).get(1)).machineId());
    assertEquals(
        PausedWindowBench.REAL_LATENCY_MILLIS, lab.scenario().timing().stepLatencyMillis());
  }
}
