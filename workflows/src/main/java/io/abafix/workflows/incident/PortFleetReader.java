package io.abafix.workflows.incident;

import io.abafix.activities.DirectoryAccess;
import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.workflows.plan.DirectoryChecks;
import io.abafix.workflows.plan.FleetObservation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a fleet for a diagnosis straight through the ports, outside Temporal: what {@code abafix
 * diagnose --scenario} uses against the lab, and what the diagnosis tests use. Changes nothing.
 * Inside workflows the same reading goes through the activities ({@code FleetSurvey}).
 */
public final class PortFleetReader {
  private static final int PAGE = 1000;
  private static final int MAX_PAGES = 20;
  private static final int KEEP_EVENTS = 50;

  private PortFleetReader() {}

  public static FleetFacts read(String tenant, List<SyncServerHost> hosts, Directory directory) {
    List<ServerState> states = new ArrayList<>();
    Map<String, AuthenticationCheck> checks = new LinkedHashMap<>();
    Map<String, List<EventLogEntry>> events = new LinkedHashMap<>();
    Map<String, String> unreachable = new LinkedHashMap<>();
    for (SyncServerHost host : hosts) {
      String name = host.serverName();
      try {
        states.add(host.inspect());
        checks.put(name, host.testConnectorAuthentication());
        List<EventLogEntry> relevant = new ArrayList<>();
        long after = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
          List<EventLogEntry> batch = host.readEvents(after, PAGE);
          for (EventLogEntry e : batch) {
            after = Math.max(after, e.recordId());
            if (FleetFacts.relevant(e)) relevant.add(e);
          }
          if (batch.size() < PAGE) break;
        }
        int from = Math.max(0, relevant.size() - KEEP_EVENTS);
        events.put(name, List.copyOf(relevant.subList(from, relevant.size())));
      } catch (HostException e) {
        unreachable.put(name, e.getMessage());
      }
    }
    List<AppRegistration> apps = List.of();
    List<String> admins = new ArrayList<>();
    List<RoleCheck> roleChecks = new ArrayList<>();
    List<DirectoryPrerequisites.Missing> missing = new ArrayList<>();
    try {
      apps = directory.listApplications(DirectoryActivities.PROVISIONING_APP_PREFIX);
      // The same checks a remediation's preflight makes, reported as findings.
      for (String account : DirectoryChecks.accountsToCheck(states)) {
        RoleCheck c = directory.globalAdministrator(account);
        roleChecks.add(c);
        if (c.holdsRole()) admins.add(account);
        if (c.status() == RoleCheck.Status.CANNOT_TELL) {
          missing.add(
              new DirectoryPrerequisites.Missing(
                  "the Global Administrator check of " + account,
                  "cannot tell: " + c.how(),
                  "grant the directory worker's app " + c.missingPermission()));
        }
      }
      List<String> used =
          states.stream().map(ServerState::applicationId).filter(a -> a != null).toList();
      missing.addAll(
          DirectoryAccess.missing(
              directory,
              apps.stream()
                  .filter(a -> used.stream().filter(a.appId()::equalsIgnoreCase).count() > 1)
                  .toList()));
    } catch (HostException e) {
      unreachable.put("directory", e.getMessage());
    }
    return new FleetFacts(
        new FleetObservation(tenant, states, checks, apps, admins, roleChecks),
        events,
        unreachable,
        missing);
  }
}
