package io.abafix.workflows.internal.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class PlanApprovalsTest {
  @Test
  void what_changed_since_the_approval_reads_in_name_order_whatever_map_it_came_in() {
    Map<String, String> was =
        Map.of("machineIdFrom", "aaa", "machineIdTo", "bbb", "serviceAccount", "Sync_A");
    Map<String, String> forwards = new LinkedHashMap<>();
    forwards.put("machineIdFrom", "ccc");
    forwards.put("machineIdTo", "ddd");
    forwards.put("serviceAccount", "Sync_B");
    Map<String, String> backwards = new LinkedHashMap<>();
    backwards.put("serviceAccount", "Sync_B");
    backwards.put("machineIdTo", "ddd");
    backwards.put("machineIdFrom", "ccc");

    String expected =
        "machineIdFrom aaa -> ccc, machineIdTo bbb -> ddd, serviceAccount Sync_A -> Sync_B";
    assertEquals(expected, PlanApprovals.changes(was, forwards));
    assertEquals(expected, PlanApprovals.changes(was, backwards));
    assertEquals(expected, PlanApprovals.changes(was, Map.copyOf(forwards)));
  }

  @Test
  void an_unchanged_parameter_is_not_named() {
    assertEquals(
        "machineIdTo bbb -> ddd",
        PlanApprovals.changes(
            Map.of("machineIdFrom", "aaa", "machineIdTo", "bbb"),
            Map.of("machineIdFrom", "aaa", "machineIdTo", "ddd")));
  }
}
