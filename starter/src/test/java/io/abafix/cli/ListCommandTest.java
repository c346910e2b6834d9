package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code abafix list} and {@code abafix setup} where the cluster has no visibility. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ListCommandTest {
  @TempDir Path dir;

  @Test
  void on_the_embedded_server_list_and_setup_say_in_one_line_that_they_cannot() throws Exception {
    Path key = dir.resolve("abafix.key");
    TestKeyFiles.write(key);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      String[] cluster = {"--address", temporal.address(), "--encryption-key-file", key.toString()};
      CommandLineRun list = CommandLineRun.of(concat(new String[] {"list"}, cluster));
      list.assertRefused(2, "cannot list runs", "in-memory server");
      CommandLineRun setup = CommandLineRun.of(concat(new String[] {"setup"}, cluster));
      setup.assertRefused(2, "cannot register search attributes");
    }
  }

  @Test
  void list_and_setup_need_no_payload_key_and_say_so_in_their_help() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      // No --encryption-key-file, nor ABAFIX_ENCRYPTION_KEY_FILE: they get as far as the server.
      CommandLineRun list = CommandLineRun.of("list", "--address", temporal.address());
      list.assertRefused(2, "cannot list runs", "in-memory server");
      CommandLineRun setup = CommandLineRun.of("setup", "--address", temporal.address());
      setup.assertRefused(2, "cannot register search attributes");
    }
    for (String command : new String[] {"list", "setup"}) {
      CommandLineRun help = CommandLineRun.of(command, "--help");
      assertEquals(0, help.exitCode(), help.err());
      String text = help.out().replaceAll("\\s+", " ");
      assertTrue(text.contains("it needs no payload key"), command + ": " + help.out());
    }
  }

  @Test
  void list_refuses_a_tenant_that_is_not_a_domain_name_before_contacting_anything() {
    CommandLineRun.of("list", "--tenant", "x' OR '1'='1", "--address", "127.0.0.1:1")
        .assertRefused(2, "is not a domain name");
  }

  @Test
  void the_filters_become_one_visibility_query() {
    ListCommand c = new ListCommand();
    c.tenant = "Contoso.onmicrosoft.com";
    c.waiting = true;
    c.limit = 10;
    assertEquals(
        "WorkflowId STARTS_WITH 'abafix-' AND AbafixTenant = 'contoso.onmicrosoft.com'"
            + " AND ExecutionStatus = 'Running' AND AbafixWaitingFor IN ('approval', 'operator')",
        c.query());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
