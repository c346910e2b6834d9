package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo's event-driven path, in one process with the embedded Temporal, in real time. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventDrivenDemoTest {
  @TempDir Path dir;

  private String demo(String scenario) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Abafix.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code =
        cli.execute(
            "demo", "--scenario", scenario, "--audit-out", dir.resolve("audit.jsonl").toString());
    assertEquals(0, code, out + "\n" + err);
    return out.toString();
  }

  @Test
  void b_s_rotation_breaks_a_the_watcher_notices_and_the_incident_runs_the_remediation() {
    String out = demo("rotation-breaks-a");

    assertTrue(out.contains("REPORT                     SERVERA"), out);
    assertTrue(out.contains("journal of abafix-remediation-contoso.onmicrosoft.com:"), out);
    assertTrue(out.indexOf("OPENED") < out.indexOf("journal of abafix-remediation"), out);
    assertTrue(out.contains("FINAL_VERIFICATION         directory  DONE"), out);
    assertTrue(out.contains("incident: RESOLVED"), out);
  }

  @Test
  void blank_parameters_are_repaired_through_the_incident() {
    String out = demo("blank-parameters");

    assertTrue(out.contains("journal of abafix-repair-contoso.onmicrosoft.com-servera:"), out);
    assertTrue(out.contains("from D:\\abafix\\modules\\ADSyncTools"), out);
    assertTrue(out.contains("incident: RESOLVED"), out);
  }
}
