package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.key;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Phase 6: every server on Application, app ids and machine ids distinct, each app named for its
 * server and holding exactly its certificate, no new AADSTS700027 since preflight.
 */
public final class FinalVerification {
  private final RemediationRun run;
  private List<ServerState> servers;
  private List<AppRegistration> applications;

  public FinalVerification(RemediationRun run) {
    this.run = run;
  }

  /** The servers as the verification read them, or null before it ran. */
  public List<ServerState> servers() {
    return servers;
  }

  /** The apps as the verification listed them, or null before it ran. */
  public List<AppRegistration> applications() {
    return applications;
  }

  public StepRecord verify() {
    List<String> problems = new ArrayList<>();
    Map<String, ServerState> states = new LinkedHashMap<>();
    for (String s : run.request.servers()) states.put(s, run.server(s).inspectServer(s));
    List<AppRegistration> apps = run.directory.listProvisioningApplications();
    Map<String, String> facts = new TreeMap<>();
    List<String> affected = run.affectedServers();
    Map<String, String> appOwners = new HashMap<>();
    Map<String, String> idOwners = new HashMap<>();
    for (ServerState st : states.values()) {
      String s = st.server();
      facts.put(s, st.identityType() + " " + st.applicationId() + " id " + st.machineId());
      String other = idOwners.putIfAbsent(key(st.machineId()), s);
      if (other != null) {
        problems.add(s + " and " + other + " still share machine id " + st.machineId());
      }
      if (st.identityType() != IdentityType.Application) {
        if (affected.contains(s))
          problems.add(s + " is on " + st.identityType() + ", not Application");
        continue;
      }
      String owner = appOwners.putIfAbsent(key(st.applicationId()), s);
      if (owner != null) {
        problems.add(s + " and " + owner + " still share app " + st.applicationId());
      }
      if (affected.contains(s)) checkApp(st, apps, problems);
    }
    for (String s : run.request.servers()) {
      long since = run.lastEventAtPreflight.getOrDefault(s, 0L);
      long conflicts =
          run.server(s).readEvents(s, since, 200).stream().filter(Preflight::isConflict).count();
      if (conflicts > 0) problems.add(s + " logged " + conflicts + " new AADSTS700027 events");
    }
    // The apps by name, so that the journal alone says which app each server ended on.
    facts.put(
        "applications",
        String.join(", ", apps.stream().map(a -> a.displayName() + "=" + a.appId()).toList()));
    servers = new ArrayList<>(states.values());
    applications = apps;
    return new StepRecord(
        problems.isEmpty() ? "DONE" : "FAILED",
        1,
        null,
        Map.of(),
        facts,
        problems.isEmpty()
            ? "every server on its own app, machine ids distinct, no new AADSTS700027"
            : String.join("; ", problems),
        problems);
  }

  static void checkApp(ServerState st, List<AppRegistration> apps, List<String> problems) {
    String s = st.server();
    AppRegistration app =
        apps.stream()
            .filter(a -> key(a.appId()).equals(key(st.applicationId())))
            .findFirst()
            .orElse(null);
    if (app == null) {
      problems.add(
          s
              + " uses app "
              + st.applicationId()
              + ", which is not a live ConnectSyncProvisioning_* app");
      return;
    }
    // The wizard names the app for the server and the machine id it has now, in full.
    String expected = "ConnectSyncProvisioning_" + s + "_" + st.machineIdPrefix();
    if (!app.displayName().equalsIgnoreCase(expected)) {
      problems.add(
          s
              + " uses app "
              + app.displayName()
              + ", which is not named for it (expected "
              + expected
              + ")");
    }
    if (app.keyCredentials().size() != 1 || !app.holdsCertificate(st.certificateId())) {
      problems.add(app.displayName() + " does not hold exactly " + s + "'s certificate");
    }
  }
}
