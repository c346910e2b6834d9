package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.audit.AuditEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** A followed run says each thing once. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RenderTest {

  private static AuditEntry entry(
      String step,
      String target,
      String actor,
      String outcome,
      Map<String, String> after,
      String detail) {
    return new AuditEntry(
        "run",
        8,
        step,
        target,
        "OPERATOR",
        actor,
        0,
        0,
        0,
        outcome,
        Map.of(),
        after,
        detail,
        "p",
        "h");
  }

  @Test
  void an_approval_names_its_step_and_one_actor() {
    String line =
        Render.entry(
            entry(
                "APPROVAL",
                "SERVERB",
                "alice@contoso.onmicrosoft.com (verified)",
                "APPROVED",
                Map.of("gate", "REGENERATE_MACHINE_ID@SERVERB"),
                "demo"));
    assertTrue(
        line.contains(
            "REGENERATE_MACHINE_ID@SERVERB approved by alice@contoso.onmicrosoft.com (verified): demo"),
        line);
    assertEquals(1, line.split("approved by", -1).length - 1, "one actor: " + line);
  }

  @Test
  void the_plan_is_one_sentence_with_each_finding_once_under_it() {
    String findings =
        "servers SERVERA, SERVERB share app 1; SERVERB cannot sign in: AADSTS700027; SERVERA runs"
            + " Entra Connect 2.6.3.0, which switches back by itself; SERVERB runs Entra Connect"
            + " 2.6.3.0, which switches back by itself";
    List<String> lines =
        Render.followed(entry("PLAN", "directory", null, "DONE", Map.of("steps", "20"), findings));
    assertTrue(lines.get(0).contains("20 steps planned, 3 findings:"), lines.get(0));
    assertEquals(4, lines.size(), String.join("\n", lines));
    assertTrue(
        lines
            .get(3)
            .endsWith(
                "- SERVERA, SERVERB run Entra Connect 2.6.3.0, which switches back by itself"),
        lines.get(3));
  }

  @Test
  void a_signed_digest_is_not_among_the_steps() {
    assertTrue(
        Render.followed(entry("AUDIT_DIGEST", "journal", null, "SIGNED", Map.of(), "END"))
            .isEmpty());
    assertFalse(
        Render.followed(entry("PAUSE_SCHEDULER", "SERVERA", null, "DONE", Map.of(), "x"))
            .isEmpty());
  }
}
