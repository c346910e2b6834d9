package io.abafix.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.plan.ConnectVersions.Note;
import io.abafix.workflows.plan.ConnectVersions.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConnectVersionsTest {
  private static final ConnectVersions TABLE = ConnectVersions.table();
  private static final long TODAY = at("2026-12-01T09:00:00Z");

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  private static List<Verdict> verdicts(String version, long now) {
    return TABLE.assess(version, now).stream().map(Note::verdict).toList();
  }

  @Test
  void below_2_5_79_0_sync_stops_after_30_september_2026_and_not_before() {
    assertTrue(verdicts("2.5.78.0", at("2026-09-30T23:59:59Z")).contains(Verdict.SYNC_WILL_STOP));
    assertTrue(verdicts("2.5.78.0", at("2026-10-01T00:00:00Z")).contains(Verdict.SYNC_STOPPED));
    assertTrue(verdicts("2.5.3.0", TODAY).contains(Verdict.SYNC_STOPPED));
    List<Verdict> current = verdicts("2.5.79.0", TODAY);
    assertTrue(
        !current.contains(Verdict.SYNC_STOPPED) && !current.contains(Verdict.SYNC_WILL_STOP),
        current.toString());
  }

  @Test
  void versions_compare_by_number_not_by_text() {
    // As text "2.5.190.0" sorts before "2.5.79.0"; as a version it is far later.
    assertTrue(!verdicts("2.5.190.0", TODAY).contains(Verdict.SYNC_STOPPED));
    assertTrue(!verdicts("2.5.190.0", TODAY).contains(Verdict.PAST_END_OF_SUPPORT));
  }

  @Test
  void a_listed_version_is_past_its_end_of_support_the_day_after_its_date() {
    assertTrue(
        !verdicts("2.5.3.0", at("2026-07-31T23:59:59Z")).contains(Verdict.PAST_END_OF_SUPPORT));
    assertTrue(
        verdicts("2.5.3.0", at("2026-08-01T00:00:00Z")).contains(Verdict.PAST_END_OF_SUPPORT));
    // 2026-12-01: 2.5.79.0 ended 23 Oct 2026; 2.5.190.0 ends 2 Feb 2027.
    Note eos = TABLE.assess("2.5.79.0", TODAY, Verdict.PAST_END_OF_SUPPORT).get(0);
    assertEquals("2.5.79.0", eos.row().version());
    assertTrue(eos.line().contains("23 Oct 2026"), eos.line());
    assertTrue(
        verdicts("2.5.190.0", at("2027-02-03T00:00:00Z")).contains(Verdict.PAST_END_OF_SUPPORT));
  }

  @Test
  void an_unlisted_version_ends_no_later_than_the_next_listed_one() {
    Note eos = TABLE.assess("2.5.77.0", TODAY, Verdict.PAST_END_OF_SUPPORT).get(0);
    assertEquals("2.5.79.0", eos.row().version());
    // Between 2.5.79.0 (ended) and 2.5.190.0 (not yet): not known to be past.
    assertTrue(!verdicts("2.5.80.0", TODAY).contains(Verdict.PAST_END_OF_SUPPORT));
    // Newer than every listed version: nothing known.
    assertTrue(
        !verdicts("2.6.84.0", at("2030-01-01T00:00:00Z")).contains(Verdict.PAST_END_OF_SUPPORT));
  }

  @Test
  void from_2_6_1_0_saving_the_connector_keeps_the_aba_parameters() {
    assertTrue(verdicts("2.6.0.0", TODAY).contains(Verdict.PARAMETERS_CLEARED_ON_SAVE));
    assertTrue(verdicts("2.5.190.0", TODAY).contains(Verdict.PARAMETERS_CLEARED_ON_SAVE));
    assertTrue(verdicts("2.6.1.0", TODAY).contains(Verdict.PARAMETERS_KEPT_ON_SAVE));
    Note kept = TABLE.assess("2.6.3.0", TODAY, Verdict.PARAMETERS_KEPT_ON_SAVE).get(0);
    assertTrue(kept.line().contains("still need the repair"), kept.line());
  }

  @Test
  void automatic_onboarding_runs_from_2_5_76_0_until_2_6_84_0() {
    assertTrue(!verdicts("2.5.75.0", TODAY).contains(Verdict.SWITCHES_ITSELF_TO_ABA));
    assertTrue(verdicts("2.5.76.0", TODAY).contains(Verdict.SWITCHES_ITSELF_TO_ABA));
    assertTrue(verdicts("2.6.83.0", TODAY).contains(Verdict.SWITCHES_ITSELF_TO_ABA));
    List<Verdict> v = verdicts("2.6.84.0", TODAY);
    assertTrue(v.contains(Verdict.NO_AUTOMATIC_SWITCH), v.toString());
    assertTrue(!v.contains(Verdict.SWITCHES_ITSELF_TO_ABA), v.toString());
  }

  @Test
  void before_2_5_3_0_there_is_no_aba() {
    assertTrue(verdicts("2.4.129.0", TODAY).contains(Verdict.NO_ABA));
    assertTrue(!verdicts("2.5.3.0", TODAY).contains(Verdict.NO_ABA));
  }

  @Test
  void a_missing_or_malformed_version_is_unknown_and_nothing_else() {
    for (String v : new String[] {null, "", "2.5.x", "latest", "2"}) {
      assertEquals(List.of(Verdict.UNKNOWN_VERSION), verdicts(v, TODAY), String.valueOf(v));
    }
  }

  @Test
  void the_shipped_table_names_a_learn_microsoft_com_source_for_every_row() {
    for (Note n : TABLE.assess("2.4.0.0", TODAY)) {
      assertTrue(n.row().source().startsWith("https://learn.microsoft.com/"), n.toString());
    }
  }

  private static String row(String version, String date, String meaning) {
    return "{\"version\": \""
        + version
        + "\", \"date\": "
        + date
        + ", \"meaning\": \""
        + meaning
        + "\", \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\":"
        + " \"documented\"}";
  }

  @Test
  void a_table_with_a_broken_row_is_refused_naming_the_row() {
    List<String> rows =
        List.of(
            row("2.5.3.0", "null", "ABA_AVAILABLE"),
            row("2.5.76.0", "null", "AUTOMATIC_SWITCH"),
            row("2.5.79.0", "\"2026-09-30\"", "SYNC_STOPS_BELOW"),
            row("2.6.1.0", "null", "PARAMETER_WIPE_FIXED"),
            row("2.6.84.0", "null", "NO_AUTOMATIC_SWITCH"));
    String good = String.join(",", rows);
    ConnectVersions.parse("{\"rows\": [" + good + "]}");
    String[][] broken = {
      {
        "{\"version\": \"2.5.x\", \"meaning\": \"END_OF_SUPPORT\", \"date\": \"2026-01-01\", \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\": \"documented\"}",
        "row 5: version"
      },
      {
        "{\"version\": \"2.5.1.0\", \"meaning\": \"END_OF_SUPPORT\", \"date\": null, \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\": \"documented\"}",
        "row 5: END_OF_SUPPORT needs a date"
      },
      {
        "{\"version\": \"2.5.1.0\", \"meaning\": \"END_OF_SUPPORT\", \"date\": \"31 Jul 2026\", \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\": \"documented\"}",
        "row 5: date"
      },
      {
        "{\"version\": \"2.5.1.0\", \"meaning\": \"END_OF_SUPPORT\", \"date\": \"2026-01-01\", \"text\": \"t\", \"source\": \"https://example.com/x\", \"status\": \"documented\"}",
        "row 5: source"
      },
      {
        "{\"version\": \"2.5.1.0\", \"meaning\": \"END_OF_SUPPORT\", \"date\": \"2026-01-01\", \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\": \"rumour\"}",
        "row 5: status"
      },
      {
        "{\"version\": \"2.5.1.0\", \"meaning\": \"SOMETHING\", \"date\": \"2026-01-01\", \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\": \"documented\"}",
        "row 5: unknown meaning"
      },
      {
        "{\"version\": \"2.5.1.0\", \"meaning\": \"ABA_AVAILABLE\", \"date\": null, \"text\": \"t\", \"source\": \"https://learn.microsoft.com/x\", \"status\": \"documented\"}",
        "ABA_AVAILABLE is listed twice"
      },
    };
    for (String[] b : broken) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ConnectVersions.parse("{\"rows\": [" + good + "," + b[0] + "]}"));
      assertTrue(e.getMessage().contains(b[1]), b[1] + " / " + e.getMessage());
    }
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ConnectVersions.parse(
                    "{\"rows\": [" + String.join(",", rows.subList(0, 4)) + "]}"));
    assertTrue(missing.getMessage().contains("no NO_AUTOMATIC_SWITCH row"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConnectVersions.parse("{\"rows\": []}"));
    assertThrows(IllegalArgumentException.class, () -> ConnectVersions.parse("not json"));
  }
}
