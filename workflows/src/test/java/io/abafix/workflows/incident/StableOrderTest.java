package io.abafix.workflows.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.plan.FleetObservation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * What the journal says of an incident's policy, of the servers it could not read and of a gate's
 * parameters is the same text whatever order they came in, and so the same on every JVM.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class StableOrderTest {
  private static final List<String> SERVERS =
      List.of("SERVERA", "SERVERB", "SERVERC", "SERVERD", "SERVERE", "SERVERF", "SERVERG");

  @Test
  void the_unattended_remedies_read_in_declaration_order_whatever_order_they_were_given() {
    List<Remedy> forwards = List.of(Remedy.values());
    List<Remedy> backwards = new ArrayList<>(forwards);
    Collections.reverse(backwards);

    IncidentPolicy a = policy(new LinkedHashSet<>(forwards));
    IncidentPolicy b = policy(new LinkedHashSet<>(backwards));

    String expected = "[SHARED_APP_REMEDIATION, CONNECTOR_PARAMETER_REPAIR, NONE]";
    assertEquals(expected, String.valueOf(a.unattended()));
    assertEquals(expected, String.valueOf(b.unattended()));
    // The orchestrator's rules, laid over a watcher's policy, read the same way.
    assertEquals(
        expected,
        String.valueOf(
            new TenantRules(new LinkedHashSet<>(backwards), false)
                .over(IncidentPolicy.standard())
                .unattended()));
  }

  @Test
  void
      the_unreachable_servers_and_their_findings_come_in_name_order_whatever_order_they_were_read() {
    List<String> backwards = new ArrayList<>(SERVERS);
    Collections.reverse(backwards);

    FleetFacts a = unreachable(SERVERS);
    FleetFacts b = unreachable(backwards);

    assertEquals(SERVERS, List.copyOf(a.unreachable().keySet()));
    assertEquals(SERVERS, List.copyOf(b.unreachable().keySet()));
    assertEquals(SERVERS, unreachableFindings(a));
    assertEquals(SERVERS, unreachableFindings(b));
  }

  @Test
  void a_gates_parameters_read_in_name_order_whatever_map_they_came_in() {
    Map<String, String> forwards = new LinkedHashMap<>();
    for (String s : SERVERS) forwards.put(s.toLowerCase(java.util.Locale.ROOT), s);
    Map<String, String> backwards = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>(forwards.keySet());
    Collections.reverse(keys);
    for (String k : keys) backwards.put(k, forwards.get(k));

    String expected =
        "{servera=SERVERA, serverb=SERVERB, serverc=SERVERC, serverd=SERVERD, servere=SERVERE,"
            + " serverf=SERVERF, serverg=SERVERG}";
    assertEquals(expected, String.valueOf(pending(forwards).parameters()));
    assertEquals(expected, String.valueOf(pending(backwards).parameters()));
  }

  private static IncidentPolicy policy(Set<Remedy> unattended) {
    return new IncidentPolicy(unattended, 60, 3600, false, 30);
  }

  private static FleetFacts unreachable(List<String> servers) {
    Map<String, String> why = new LinkedHashMap<>();
    for (String s : servers) why.put(s, "no worker polls its queue");
    return new FleetFacts(
        new FleetObservation("contoso.onmicrosoft.com", List.of(), Map.of(), List.of(), List.of()),
        Map.of(),
        why);
  }

  private static List<String> unreachableFindings(FleetFacts facts) {
    return Diagnoser.diagnose(facts, 1_760_000_000_000L, 30)
        .of(FindingKind.SERVER_UNREACHABLE)
        .stream()
        .map(f -> f.servers().get(0))
        .toList();
  }

  private static PendingApproval pending(Map<String, String> parameters) {
    return new PendingApproval("GATE@SERVERA", "a gate", 0, 0, "plan", parameters, "digest");
  }
}
