package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix bench}: how long a whole remediation takes, by fleet size, on the embedded Temporal
 * server through the production adapters with a lab that answers at once (no step latency, no
 * propagation delay). It measures abafix and Temporal, not Entra Connect: a real server's scripts
 * and the up-to-15-minute propagation dominate real runs. Appends a table to the results file.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix bench --servers 2,4,8 --runs 5"},
    description = "Measure whole remediations by fleet size; append the figures to a results file.")
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--servers",
      split = ",",
      defaultValue = "2,4,8",
      description = "Fleet sizes (default ${DEFAULT-VALUE})")
  List<Integer> sizes;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description = "Measured runs per size, after one warm-up (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--out",
      defaultValue = "bench/results.md",
      description = "Results file to append to (default ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (runs < 1 || sizes.stream().anyMatch(n -> n < 2 || n > 50)) {
      throw new UserError("--runs must be at least 1 and each --servers size from 2 to 50");
    }
    PrintWriter w = spec.commandLine().getOut();
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "%n## %s, %s, Java %s, %d cores%n%n",
            Instant.now().toString().substring(0, 19) + "Z",
            System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            System.getProperty("java.version"),
            Runtime.getRuntime().availableProcessors()));
    table.append(
        "| servers | steps (activities) | runs | median run (ms) | min | max | ms per activity |\n");
    table.append("|---|---|---|---|---|---|---|\n");
    for (int n : sizes) {
      long[] times = new long[runs];
      int activities = 0;
      for (int i = -1; i < runs; i++) {
        Measured m = runOnce(n);
        if (i >= 0) {
          times[i] = m.millis;
          activities = m.activities;
        }
      }
      Arrays.sort(times);
      long median = times[runs / 2];
      String row =
          String.format(
              Locale.ROOT,
              "| %d | %d | %d | %d | %d | %d | %.1f |%n",
              n,
              activities,
              runs,
              median,
              times[0],
              times[runs - 1],
              (double) median / activities);
      table.append(row);
      w.print(row);
      w.flush();
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    if (!Files.exists(out)) {
      Files.writeString(
          out, "# abafix benchmark results\n\nWritten by `./abafix bench`. " + NOTE + "\n");
    }
    Files.writeString(out, table.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    w.println("appended to " + out);
    return 0;
  }

  private static final String NOTE =
      "Each row: whole shared-app remediations (preflight to final verification) of a fleet whose"
          + " servers all share one app, on the embedded Temporal server, through the production"
          + " PowerShell and Graph adapters over the lab, which answers at once. One warm-up run per"
          + " size is not counted.";

  private record Measured(long millis, int activities) {}

  private Measured runOnce(int servers) {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromJson(fleet(servers), "bench-" + servers), System::currentTimeMillis);
    try (DemoEnvironment env = DemoEnvironment.start(lab)) {
      WorkflowClient client = env.client();
      long start = System.nanoTime();
      String id =
          RemediateCommand.start(
              client,
              new RemediationRequest(
                  lab.tenantDomain(),
                  lab.serverNames(),
                  CREDENTIAL,
                  null,
                  false,
                  new ApprovalPolicy(true, false, 600),
                  new Timings(60, 1, 60, 30),
                  "bench"));
      RemediationResult result =
          new RunFollower(
                  client,
                  id,
                  new PrintWriter(new StringWriter()),
                  // Tokens straight from the lab's key: a sign-in per step is a person's time,
                  // which the figure leaves out.
                  new AutoApprover(
                      "alice", (binding, user) -> lab.identities().idToken(user, binding.nonce())),
                  Duration.ofMillis(20))
              .follow();
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (result.outcome() != Outcome.SUCCEEDED) {
        throw new IllegalStateException(
            "bench run ended " + result.outcome() + ": " + result.message());
      }
      int activities =
          (int)
              client.fetchHistory(id).getEvents().stream()
                  .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                  .count();
      return new Measured(millis, activities);
    }
  }

  private static final String CREDENTIAL =
      "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  /** A fleet of n servers on one shared app; the first holds its key, the others are locked out. */
  static String fleet(int n) {
    String appId = "abdc652a-160c-469e-b31a-70b29e8cf3a8";
    List<String> servers = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      servers.add(
          String.format(
              Locale.ROOT,
              """
          { "name": "SRV%02d", "machineId": "%032x", "version": "2.5.79.0",
            "connectorAccount": "svc-aadsync@contoso.onmicrosoft.com",
            "identity": { "type": "Application", "appId": "%s", "certificate": "%040X" },
            "credentialReferences": ["%s"] }""",
              i,
              0x1000L * i + 7,
              appId,
              0xC0FFEEL + i,
              CREDENTIAL.replace("\\", "\\\\")));
    }
    return String.format(
        Locale.ROOT,
        """
        { "name": "bench-%d",
          "tenant": { "domain": "contoso.onmicrosoft.com",
            "accounts": [ { "userPrincipalName": "svc-aadsync@contoso.onmicrosoft.com", "roles": [] } ],
            "applications": [ { "displayName": "ConnectSyncProvisioning_SRV01_%012x", "appId": "%s",
                                "certificates": ["%040X"] } ] },
          "servers": [ %s ],
          "timing": { "propagationDelaySeconds": 0 } }""",
        n,
        0x1000L + 7,
        appId,
        0xC0FFEEL + 1,
        String.join(",\n", servers));
  }
}
