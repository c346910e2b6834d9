package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo shows what a real run asks of people and how long it pauses sync. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DemoRealRunTest {
  private static final Pattern PAUSE =
      Pattern.compile("  (SERVER[AB]) sync paused for about (\\d+) min");

  @Test
  @Timeout(180)
  void by_default_a_person_does_the_operator_steps_and_the_real_pause_is_predicted(
      @TempDir Path dir) {
    CommandLineRun run =
        CommandLineRun.of("demo", "--audit-out", dir.resolve("audit.jsonl").toString());
    assertEquals(0, run.exitCode(), run.err());
    String out = run.err() + run.out();
    for (String step :
        new String[] {
          "--step ROTATE_CERTIFICATE --server SERVERB",
          "--step CONFIGURE_ABA --server SERVERB",
          "--step CONFIGURE_ABA --server SERVERA",
          "--step REVERT_TO_SERVICE_ACCOUNT --server SERVERA"
        }) {
      assertTrue(
          out.contains("then: abafix confirm abafix-remediation-contoso.onmicrosoft.com " + step),
          "prints the confirm a person types: " + step + "\n" + out);
    }
    assertTrue(out.contains("done by bob@contoso.onmicrosoft.com (verified)"), out);
    assertTrue(out.contains("in a real run:"), out);
    Matcher m = PAUSE.matcher(out);
    int a = -1;
    int b = -1;
    while (m.find()) {
      if (m.group(1).equals("SERVERA")) a = Integer.parseInt(m.group(2));
      else b = Integer.parseInt(m.group(2));
    }
    // B waits out one new service account's propagation (15 min), A two: its own and B's.
    assertTrue(b >= 15 && b < 30, "SERVERB about " + b + " min\n" + out);
    assertTrue(a >= 30 && a < 45, "SERVERA about " + a + " min\n" + out);
    assertTrue(out.contains("one approver signs in once, before any pause"), out);
    assertTrue(
        out.contains(
            "a person at SERVERB's console: ROTATE_CERTIFICATE, REVERT_TO_SERVICE_ACCOUNT,"
                + " CONFIGURE_ABA"),
        out);
  }

  @Test
  @Timeout(180)
  void fast_automates_the_operator_steps_as_before(@TempDir Path dir) {
    CommandLineRun run =
        CommandLineRun.of("demo", "--fast", "--audit-out", dir.resolve("audit.jsonl").toString());
    assertEquals(0, run.exitCode(), run.err());
    String out = run.err() + run.out();
    assertFalse(out.contains("operator step"), out);
    assertTrue(out.contains("in a real run:"), "still says what a real run means: " + out);
  }
}
