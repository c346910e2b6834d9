package io.abafix.cli.rehearsal;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import io.abafix.activities.powershell.CapturedServer;
import io.abafix.cli.rehearsal.FleetCaptureFile.CapturedFleet;
import io.abafix.lab.scenario.Scenario;
import io.abafix.lab.scenario.ScenarioException;
import io.abafix.workflows.plan.RehearsedFleet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a captured fleet into a lab scenario, so that the remediation can be rehearsed on a copy of
 * it. Each server's raw answers go through the production adapter and shape rules ({@link
 * CapturedServer}); what they mean becomes the scenario's server. The mapping, field by field, is
 * in docs/rehearsal.md ("Rehearse on a twin"). What the lab cannot reproduce is refused, naming it:
 * a shape no rule recognises, ADSync stopped, a suspended scheduler or an open wizard, an identity
 * on an app the directory did not list, a key without a thumbprint.
 */
public final class CaptureMapping {
  private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");

  /**
   * A running sync cycle in the capture is rehearsed as one that ends this long after the start: a
   * delta cycle of a mid-sized directory.
   */
  public static final long RUNNING_CYCLE_MILLIS = 10 * 60_000L;

  private CaptureMapping() {}

  /**
   * The scenario of a capture, with what preflight will compare.
   *
   * @param facts the fleet as the capture shows it (without a plan digest yet)
   */
  public record Mapped(Scenario scenario, RehearsedFleet facts) {}

  /**
   * @param credentialReference the reference the run's revert will use; the lab resolves it on
   *     every server (a rehearsal cannot see whether the file exists on the real one)
   * @param latencyMillis per port method, the real sleep the lab serves
   * @throws CaptureRefused for a capture the lab cannot reproduce, naming what
   */
  public static Mapped map(
      CapturedFleet fleet, String credentialReference, Map<String, Long> latencyMillis) {
    List<AppRegistration> apps = fleet.directory().applications();
    Set<String> withPrincipal = Set.copyOf(fleet.directory().appIdsWithServicePrincipal());
    List<Scenario.Application> applications = new ArrayList<>();
    for (AppRegistration a : apps) {
      List<String> thumbprints = new ArrayList<>();
      for (KeyCredential k : a.keyCredentials()) {
        if (k.thumbprint() == null || !THUMBPRINT.matcher(k.thumbprint()).matches()) {
          throw new CaptureRefused(
              "app "
                  + a.displayName()
                  + " has key "
                  + k.keyId()
                  + " without a certificate thumbprint ("
                  + k.thumbprint()
                  + "): the lab models certificate keys only");
        }
        thumbprints.add(k.thumbprint().toUpperCase(Locale.ROOT));
      }
      applications.add(
          new Scenario.Application(
              a.id(),
              a.appId(),
              a.displayName(),
              thumbprints,
              withPrincipal.contains(a.appId()),
              false,
              null));
    }
    List<Scenario.Account> accounts = new ArrayList<>();
    for (String account : fleet.directory().connectorAccounts()) {
      accounts.add(
          new Scenario.Account(
              account,
              fleet.directory().globalAdministrators().contains(account)
                  ? List.of("Global Administrator")
                  : List.of()));
    }
    List<ServerState> states = new ArrayList<>();
    List<Scenario.Server> servers = new ArrayList<>();
    for (var json : fleet.servers()) {
      CapturedServer captured;
      try {
        captured = CapturedServer.of(json);
      } catch (IllegalArgumentException e) {
        throw new CaptureRefused(e.getMessage());
      }
      String name = captured.server();
      ServerState state;
      List<EventLogEntry> events;
      try {
        state = captured.state();
        events = captured.events();
      } catch (HostException e) {
        throw new CaptureRefused("server " + name + ": " + e.getMessage());
      }
      servers.add(server(state, events, apps, credentialReference, fleet.capturedAt()));
      states.add(state);
    }
    Scenario scenario =
        new Scenario(
            "rehearsal of " + fleet.tenant(),
            "built from the capture of " + fleet.capturedAt(),
            new Scenario.Tenant(fleet.tenant(), accounts, applications),
            servers,
            new Scenario.Timing(
                RehearsalTiming.PROPAGATION.toSeconds(), 0L, Map.copyOf(latencyMillis)),
            List.of(),
            null);
    try {
      scenario.validate();
    } catch (ScenarioException e) {
      throw new CaptureRefused("the capture does not make a lab: " + e.getMessage());
    }
    return new Mapped(scenario, RehearsedFleet.of(null, states, apps));
  }

  /**
   * The server's certificate as a thumbprint, which the lab's scenarios use: a connector that names
   * it by key id is mapped through the app's key with that id. A key id no live key has is a
   * certificate the app no longer holds; the lab gets a stand-in thumbprint no app holds either.
   */
  private static String thumbprint(ServerState s, List<AppRegistration> apps) {
    String id = s.certificateId();
    if (THUMBPRINT.matcher(id).matches()) return id.toUpperCase(Locale.ROOT);
    for (AppRegistration a : apps) {
      for (KeyCredential k : a.keyCredentials()) {
        if (id.equalsIgnoreCase(k.keyId()) && k.thumbprint() != null) {
          return k.thumbprint().toUpperCase(Locale.ROOT);
        }
      }
    }
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  id.toLowerCase(Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().withUpperCase().formatHex(digest, 0, 20);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static Scenario.Server server(
      ServerState s,
      List<EventLogEntry> events,
      List<AppRegistration> apps,
      String credentialReference,
      Instant capturedAt) {
    String name = s.server();
    if (!s.adSyncRunning() || s.identityType() == IdentityType.Unknown) {
      throw new CaptureRefused(
          "server "
              + name
              + ": ADSync is stopped, so its identity could not be read; start it and capture"
              + " again");
    }
    if (s.schedulerSuspended()) {
      throw new CaptureRefused(
          "server "
              + name
              + ": SchedulerSuspended is set (an upgrade or the wizard holds the scheduler), which"
              + " the lab does not model; let it finish and capture again");
    }
    if (s.wizardOpen()) {
      throw new CaptureRefused(
          "server "
              + name
              + ": the Entra Connect wizard is open, so its configuration may be changing; close"
              + " it and capture again");
    }
    Scenario.Identity identity;
    if (s.identityType() == IdentityType.Application) {
      if (apps.stream().noneMatch(a -> a.appId().equalsIgnoreCase(s.applicationId()))) {
        throw new CaptureRefused(
            "server "
                + name
                + " signs in with app "
                + s.applicationId()
                + ", which the directory did not list as a live ConnectSyncProvisioning_* app");
      }
      if (s.certificateId() == null) {
        throw new CaptureRefused(
            "server "
                + name
                + " is on Application with a blank CertificateId: repair its connector parameters"
                + " first (abafix repair), then capture again");
      }
      identity = new Scenario.Identity("Application", null, s.applicationId(), thumbprint(s, apps));
    } else {
      identity = new Scenario.Identity("ServiceAccount", s.serviceAccountName(), null, null);
    }
    List<Scenario.Event> log = new ArrayList<>();
    for (EventLogEntry e : events) {
      long age = 0;
      try {
        age =
            Math.max(0, capturedAt.toEpochMilli() - Instant.parse(e.timeCreated()).toEpochMilli());
      } catch (RuntimeException unreadable) {
        // An entry without a readable time is rehearsed as logged at the capture.
      }
      log.add(new Scenario.Event(e.eventId(), e.level(), e.source(), e.message(), 1, age / 60_000));
    }
    return new Scenario.Server(
        name,
        s.machineId(),
        s.version(),
        s.stagingMode(),
        s.syncCycleEnabled(),
        s.syncCycleInProgress() ? RUNNING_CYCLE_MILLIS : 0L,
        true,
        s.connectorAccount(),
        identity,
        s.abaParameters(),
        s.adSyncToolsVersion(),
        credentialReference == null ? List.of() : List.of(credentialReference),
        0,
        log,
        false,
        true,
        null,
        null);
  }
}
