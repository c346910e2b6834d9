package io.abafix.cli.bench;

import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's lab fleets: pairs of servers that share one app, the article's case. In each pair
 * the first server holds the app's key and works; the second is locked out (AADSTS700027).
 */
public final class Fleets {
  static final String CREDENTIAL = "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";
  static final String TENANT = "contoso.onmicrosoft.com";

  private Fleets() {}

  /** The two server names of pair {@code i} (from 1): {@code P0001A}, {@code P0001B}. */
  public static List<String> pair(int i) {
    String stem = String.format(Locale.ROOT, "P%04d", i);
    return List.of(stem + "A", stem + "B");
  }

  /**
   * {@code pairs} pairs in one tenant, each on an app of its own.
   *
   * @param cloned whether each pair's second server is a clone of the first (the same machine id),
   *     so its remediation regenerates the id: a service restart
   * @param latencies per port method, milliseconds of real sleep in the lab (may be empty)
   */
  public static Scenario pairs(
      int pairs, boolean cloned, long propagationSeconds, Map<String, Long> latencies) {
    List<String> apps = new ArrayList<>();
    List<String> servers = new ArrayList<>();
    for (int i = 1; i <= pairs; i++) {
      String appId = String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", i, i);
      String key = String.format(Locale.ROOT, "%040X", 0xC0FFEE00L + i);
      long machine = 0x1000L * i + 7;
      apps.add(
          String.format(
              Locale.ROOT,
              """
              { "displayName": "ConnectSyncProvisioning_%s_%012x", "appId": "%s",
                "certificates": ["%s"] }""",
              pair(i).get(0),
              machine,
              appId,
              key));
      for (int s = 0; s < 2; s++) {
        servers.add(
            String.format(
                Locale.ROOT,
                """
                { "name": "%s", "machineId": "%032x", "version": "2.5.79.0",
                  "connectorAccount": "svc-aadsync@contoso.onmicrosoft.com",
                  "identity": { "type": "Application", "appId": "%s", "certificate": "%s" },
                  "credentialReferences": ["%s"] }""",
                pair(i).get(s),
                cloned || s == 0 ? machine : machine + 1,
                appId,
                s == 0 ? key : String.format(Locale.ROOT, "%040X", 0xBADL * 0x100000L + i),
                CREDENTIAL.replace("\\", "\\\\")));
      }
    }
    StringBuilder latency = new StringBuilder();
    latencies.forEach(
        (step, ms) ->
            latency
                .append(latency.length() == 0 ? "" : ", ")
                .append('"')
                .append(step)
                .append("\": ")
                .append(ms));
    String json =
        String.format(
            Locale.ROOT,
            """
            { "name": "bench-%d",
              "tenant": { "domain": "%s",
                "accounts": [ { "userPrincipalName": "svc-aadsync@contoso.onmicrosoft.com",
                                "roles": [] } ],
                "applications": [ %s ] },
              "servers": [ %s ],
              "timing": { "propagationDelaySeconds": %d, "stepLatencyMillis": { %s } } }""",
            pairs,
            TENANT,
            String.join(",\n", apps),
            String.join(",\n", servers),
            propagationSeconds,
            latency);
    return Scenario.fromJson(json, "bench-" + pairs);
  }

  /**
   * seed-pair in a tenant of its own, {@code tenant-NNNN.onmicrosoft.com}, answering at once (no
   * step latencies, no propagation delay, as {@link #pairs} with none): tenant {@code i} (from 1)
   * of a multi-tenant fleet, whose servers have the same names as every other tenant's.
   */
  public static Scenario tenantPair(int i) {
    String json;
    try (java.io.InputStream in =
        Scenario.class.getClassLoader().getResourceAsStream("scenarios/seed-pair.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read the seed-pair scenario", e);
    }
    String tenant = String.format(Locale.ROOT, "tenant-%04d", i);
    Scenario s =
        Scenario.fromJson(
            json.replace("contoso.onmicrosoft.com", tenant + ".onmicrosoft.com")
                .replace("\"seed-pair\"", "\"" + tenant + "\""),
            tenant);
    return s.withTiming(new Scenario.Timing(0L, s.timing().syncCycleMillis(), null));
  }

  /**
   * A remediation of {@code servers} with the given bounds, whose destructive steps wait for a
   * signed approval, as every production run's do.
   */
  static RemediationRequest request(String tenant, List<String> servers, Timings timings) {
    return new RemediationRequest(
        tenant,
        servers,
        CREDENTIAL,
        null,
        false,
        new ApprovalPolicy(true, false, 600),
        timings,
        "bench");
  }

  /**
   * Bounds for a lab that answers at once: looks every second; gives up only after ten minutes, so
   * that a loaded machine slows a run down rather than failing it.
   */
  static Timings quick() {
    return new Timings(600, 1, 600, 600);
  }
}
