package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The production command line has no option that sends a sign-in to the lab (or anywhere else). */
class LabOptionsRefusedTest {

  @Test
  void signing_in_at_another_identity_endpoint_is_an_unknown_option() {
    for (String command : new String[] {"approve", "reject", "confirm", "remediate"}) {
      CommandLineRun run =
          CommandLineRun.of(
              command,
              "x",
              "--step",
              "CONFIGURE_ABA",
              "--server",
              "SERVERA",
              "--lab-identity-endpoint",
              "http://127.0.0.1:1");
      assertEquals(2, run.exitCode(), command + ": " + run.err());
      assertTrue(
          run.err().contains("Unknown option") || run.err().contains("Unmatched argument"),
          command + ": " + run.err());
      assertTrue(run.err().contains("--lab-identity-endpoint"), command + ": " + run.err());
      CommandLineRun help = CommandLineRun.of(command, "--help");
      assertFalse(help.out().contains("lab-identity"), help.out());
    }
  }
}
