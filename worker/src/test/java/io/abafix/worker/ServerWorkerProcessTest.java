package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.temporal.testserver.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code abafix-worker server} as its own process: configured by TEMPORAL_ADDRESS alone, stopped by
 * SIGTERM, and never loading the Graph SDK or msal4j (the per-server worker has no business with
 * them, and they are large).
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ServerWorkerProcessTest {
  private static final List<String> GRAPH_PACKAGES =
      List.of("com.microsoft.graph.", "com.microsoft.aad.msal4j.", "com.microsoft.kiota.");

  @Test
  @DisabledOnOs(value = OS.WINDOWS, disabledReason = "the server role checks COMPUTERNAME there")
  void the_server_worker_polls_its_queue_loads_no_graph_class_and_stops_on_sigterm()
      throws Exception {
    int port = WorkerProcessTest.freePort();
    try (TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port, true)) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xlog:class+load=info:stdout",
                  "-cp",
                  System.getProperty("java.class.path"),
                  // The production main would fetch the approvers' keys from Entra ID at start;
                  // the lab's entry point is the same wiring with the lab's key location, which
                  // nothing here asks for.
                  LabWorkerMain.class.getName(),
                  "server",
                  "--name",
                  "SERVERA",
                  "--tenant",
                  "contoso.onmicrosoft.com")
              .redirectErrorStream(true);
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
      env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + port);
      env.put("ABAFIX_APPROVER_TENANT_ID", "8d2e1c4a-5b6f-4a70-9c8d-1e2f3a4b5c6d");
      env.put("ABAFIX_APPROVER_CLIENT_ID", "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6");
      env.putAll(TestKeys.VARIABLES);
      env.put(LabWorkerMain.JWKS_URL, "http://127.0.0.1:1/keys");
      Process worker = pb.start();

      List<String> output = new ArrayList<>();
      CountDownLatch polling = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    synchronized (output) {
                      output.add(line);
                    }
                    if (line.startsWith("polling ")) polling.countDown();
                  }
                } catch (IOException e) {
                  // The process is gone; what was read is kept.
                }
              });
      reader.start();
      try {
        if (!polling.await(60, TimeUnit.SECONDS)) {
          fail("the server worker did not start polling:\n" + text(output));
        }
        // SIGTERM. Process.destroy() would also close our end of the pipe, and with it the lines
        // the worker writes while it stops.
        worker.toHandle().destroy();
        assertTrue(worker.waitFor(15, TimeUnit.SECONDS), "the worker did not stop on SIGTERM");
      } finally {
        worker.destroyForcibly();
      }
      reader.join(5000);

      String text = text(output);
      assertTrue(
          text.contains(
              "polling abafix-server-servera@contoso.onmicrosoft.com on 127.0.0.1:"
                  + port
                  + "/default"),
          text);
      assertTrue(text.contains("warning: this is not Windows"), text);
      assertTrue(
          text.contains("Stopped polling abafix-server-servera@contoso.onmicrosoft.com"), text);
      // 143 = killed by SIGTERM, after the shutdown hook has run.
      assertEquals(143, worker.exitValue(), text);
      List<String> graphClasses =
          output.stream()
              .filter(l -> l.contains("[class,load]"))
              .filter(l -> GRAPH_PACKAGES.stream().anyMatch(l::contains))
              .toList();
      assertEquals(List.of(), graphClasses);
    }
  }

  /** What the worker printed, without the JVM's class-loading log. */
  private static String text(List<String> output) {
    synchronized (output) {
      return String.join("\n", output.stream().filter(l -> !l.contains("[class,load]")).toList());
    }
  }
}
