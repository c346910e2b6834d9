package io.abafix.lab.scenario;

import io.abafix.activities.port.Directory;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.fault.Fault;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Checks a {@link Scenario}; stops at the first problem with a message naming the field. */
final class ScenarioValidator {
  private static final Pattern NETBIOS = Pattern.compile("[A-Za-z0-9-]{1,15}");
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern VERSION = Pattern.compile("\\d+(\\.\\d+){1,3}");
  private static final Pattern THUMBPRINT = Pattern.compile("[0-9a-fA-F]{40}");
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Fault and latency step names: the port methods, taken from the interfaces themselves. */
  static final Set<String> SERVER_STEPS = methodNames(SyncServerHost.class);

  static final Set<String> DIRECTORY_STEPS = methodNames(Directory.class);

  /** Graph HTTP faults hit a Graph operation or the token endpoint. */
  static final Set<String> GRAPH_STEPS = union(DIRECTORY_STEPS, Set.of("token"));

  private final Scenario s;
  private final String origin;

  ScenarioValidator(Scenario scenario) {
    this.s = scenario;
    this.origin = "scenario " + (scenario.name() == null ? "(unnamed)" : scenario.name()) + ": ";
  }

  private void oneOf(String value, java.util.List<String> allowed, String field) {
    require(
        value == null || allowed.contains(value),
        field + " must be one of " + String.join(", ", allowed) + ", got " + q(value));
  }

  void validate() {
    Scenario.Tenant tenant = s.tenant();
    require(tenant != null, "tenant is missing");
    require(notBlank(tenant.domain()), "tenant.domain is missing");

    Scenario.ConnectSync variants = tenant.connectSyncOrDefault();
    oneOf(
        variants.connectorIdentity(),
        Scenario.ConnectSync.CONNECTOR_IDENTITIES,
        "tenant.connectSync.connectorIdentity");
    oneOf(
        variants.certificateId(),
        Scenario.ConnectSync.CERTIFICATE_IDS,
        "tenant.connectSync.certificateId");
    oneOf(variants.scheduler(), Scenario.ConnectSync.SCHEDULERS, "tenant.connectSync.scheduler");

    Set<String> upns = new HashSet<>();
    for (int i = 0; i < tenant.accounts().size(); i++) {
      Scenario.Account a = tenant.accounts().get(i);
      String at = "tenant.accounts[" + i + "]";
      require(a != null, at + " is null");
      require(
          notBlank(a.userPrincipalName()) && a.userPrincipalName().contains("@"),
          at + ".userPrincipalName must be a UPN (name@domain), got " + q(a.userPrincipalName()));
      require(
          upns.add(lower(a.userPrincipalName())),
          at + ".userPrincipalName " + q(a.userPrincipalName()) + " is listed twice");
    }

    Set<String> appIds = new HashSet<>();
    Set<String> objectIds = new HashSet<>();
    for (int i = 0; i < tenant.applications().size(); i++) {
      Scenario.Application app = tenant.applications().get(i);
      String at = "tenant.applications[" + i + "]";
      require(app != null, at + " is null");
      require(notBlank(app.displayName()), at + ".displayName is missing");
      require(
          app.appId() != null && GUID.matcher(app.appId()).matches(),
          at + ".appId must be a GUID, got " + q(app.appId()));
      require(appIds.add(lower(app.appId())), at + ".appId " + app.appId() + " is used twice");
      if (app.id() != null) {
        require(GUID.matcher(app.id()).matches(), at + ".id must be a GUID, got " + q(app.id()));
        require(objectIds.add(lower(app.id())), at + ".id " + app.id() + " is used twice");
      }
      for (int k = 0; k < app.certificates().size(); k++) {
        String t = app.certificates().get(k);
        require(
            t != null && THUMBPRINT.matcher(t).matches(),
            at + ".certificates[" + k + "] must be a 40-hex thumbprint, got " + q(t));
      }
      require(
          !(app.isDeleted() && Boolean.TRUE.equals(app.servicePrincipal())),
          at + ": a deleted application has no service principal (deleting an app removes it)");
    }

    require(!s.servers().isEmpty(), "servers: at least one server is needed");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < s.servers().size(); i++) {
      validateServer(i, s.servers().get(i), names, appIds);
    }

    Scenario.Timing timing = s.timing();
    nonNegative(timing.propagationDelaySeconds(), "timing.propagationDelaySeconds");
    nonNegative(timing.syncCycleMillis(), "timing.syncCycleMillis");
    for (Map.Entry<String, Long> e : timing.stepLatencyMillis().entrySet()) {
      require(
          SERVER_STEPS.contains(e.getKey()) || DIRECTORY_STEPS.contains(e.getKey()),
          "timing.stepLatencyMillis: unknown step "
              + q(e.getKey())
              + " (steps are SyncServerHost and Directory method names)");
      nonNegative(e.getValue(), "timing.stepLatencyMillis." + e.getKey());
    }

    for (int i = 0; i < s.faults().size(); i++) {
      validateFault(i, s.faults().get(i), names);
    }

    Scenario.Demo demo = s.demoOrDefault();
    require(
        Scenario.Demo.REMEDIATION.equals(demo.flowOrDefault())
            || Scenario.Demo.INCIDENT.equals(demo.flowOrDefault()),
        "demo.flow: unknown flow " + q(demo.flow()) + " (expected remediation or incident)");
    for (String server : new String[] {demo.rotateCertificateOf(), demo.saveConnectorOf()}) {
      require(
          server == null || names.contains(upper(server)),
          "demo: " + q(server) + " names no server in this scenario");
    }
  }

  private void validateServer(int i, Scenario.Server server, Set<String> names, Set<String> apps) {
    String at = "servers[" + i + "]";
    require(server != null, at + " is null");
    require(
        server.name() != null && NETBIOS.matcher(server.name()).matches(),
        at
            + ".name "
            + q(server.name())
            + " is not a NetBIOS computer name (1-15 letters, digits or hyphens)");
    at = "servers[" + i + "] (" + server.name() + ")";
    require(names.add(upper(server.name())), at + ": server name is used twice");
    require(
        server.machineId() != null && MACHINE_ID.matcher(server.machineId()).matches(),
        at + ".machineId must be 32 hex characters, got " + q(server.machineId()));
    nonNegative(server.syncCycleInProgressMillis(), at + ".syncCycleInProgressMillis");
    if (server.pastSyncCycles() != null) {
      require(server.pastSyncCycles() >= 0, at + ".pastSyncCycles must not be negative");
    }
    for (int k = 0; k < server.credentialReferences().size(); k++) {
      require(
          notBlank(server.credentialReferences().get(k)),
          at + ".credentialReferences[" + k + "] is blank");
    }
    if (server.stagedModulePath() != null || server.stagedAdSyncToolsVersion() != null) {
      require(
          notBlank(server.stagedModulePath()) && notBlank(server.stagedAdSyncToolsVersion()),
          at + ": stagedModulePath and stagedAdSyncToolsVersion go together");
      require(
          VERSION.matcher(server.stagedAdSyncToolsVersion()).matches(),
          at
              + ".stagedAdSyncToolsVersion must be a dotted version, got "
              + q(server.stagedAdSyncToolsVersion()));
    }
    for (int k = 0; k < server.events().size(); k++) {
      Scenario.Event e = server.events().get(k);
      require(e != null && e.eventId() > 0, at + ".events[" + k + "] needs a positive eventId");
      require(
          e.repeat() == null || (e.repeat() >= 1 && e.repeat() <= 10_000),
          at + ".events[" + k + "].repeat must be 1 to 10000");
      require(
          e.ageMinutes() == null || e.ageMinutes() >= 0,
          at + ".events[" + k + "].ageMinutes must not be negative");
    }

    Scenario.Identity id = server.identity();
    require(id != null, at + ".identity is missing");
    require(notBlank(id.type()), at + ".identity.type is missing");
    switch (id.type()) {
      case "Application" -> {
        require(
            id.appId() != null && apps.contains(lower(id.appId())),
            at
                + ".identity.appId "
                + q(id.appId())
                + " names no application in tenant.applications");
        require(
            id.certificate() != null && THUMBPRINT.matcher(id.certificate()).matches(),
            at + ".identity.certificate must be a 40-hex thumbprint, got " + q(id.certificate()));
        require(id.account() == null, at + ".identity.account is for ServiceAccount only");
      }
      case "ServiceAccount" -> {
        require(notBlank(id.account()), at + ".identity.account is missing");
        require(
            id.appId() == null && id.certificate() == null,
            at + ".identity.appId and .certificate are for Application only");
      }
      default ->
          fail(
              at
                  + ".identity.type: unknown identity type "
                  + q(id.type())
                  + " (expected Application or ServiceAccount)");
    }
  }

  private void validateFault(int i, Fault f, Set<String> serverNames) {
    String at = "faults[" + i + "]";
    require(f != null, at + " is null");
    if (f.server() != null) {
      require(
          serverNames.contains(upper(f.server())),
          at + ".server " + q(f.server()) + " names no server in this scenario");
    }
    if (f.kind() == Fault.Kind.INTERRUPTED) {
      require(
          "setMachineIdentifier".equals(f.step()),
          at + ": INTERRUPTED is modelled for setMachineIdentifier only");
    }
    if (f.kind() == Fault.Kind.HTTP) {
      require(f.server() == null, at + ": HTTP faults hit Graph, not a server: drop .server");
      require(
          GRAPH_STEPS.contains(f.step()),
          at + ".step " + q(f.step()) + " is not a Graph step " + new TreeSet<>(GRAPH_STEPS));
    } else if (f.server() != null) {
      require(
          SERVER_STEPS.contains(f.step()),
          at + ".step " + q(f.step()) + " is not a server step " + new TreeSet<>(SERVER_STEPS));
    } else {
      require(
          DIRECTORY_STEPS.contains(f.step()),
          at
              + ".step "
              + q(f.step())
              + " is not a directory step "
              + new TreeSet<>(DIRECTORY_STEPS)
              + " (server faults need .server)");
    }
  }

  private void nonNegative(Long value, String field) {
    require(value == null || value >= 0, field + " must not be negative");
  }

  private void require(boolean ok, String message) {
    if (!ok) fail(message);
  }

  private void fail(String message) {
    throw new ScenarioException(origin + message);
  }

  private static Set<String> methodNames(Class<?> port) {
    Set<String> names = new TreeSet<>();
    for (Method m : port.getMethods()) {
      if (!m.getName().equals("serverName")) names.add(m.getName());
    }
    return Set.copyOf(names);
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new HashSet<>(a);
    u.addAll(b);
    return Set.copyOf(u);
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  private static String q(String s) {
    return s == null ? "(none)" : "'" + s + "'";
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
