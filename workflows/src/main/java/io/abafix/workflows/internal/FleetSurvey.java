package io.abafix.workflows.internal;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.plan.DirectoryChecks;
import io.abafix.workflows.plan.FleetObservation;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a fleet for a diagnosis, from inside a workflow: every server in parallel (state, sign-in,
 * recent events 906/1011/1012), then the directory. Changes nothing. A server whose worker does not
 * answer is listed as unreachable instead of failing the whole survey.
 */
public final class FleetSurvey {
  /** The directory, as a key of {@link FleetFacts#unreachable()}. */
  public static final String DIRECTORY = "directory";

  private static final int PAGE = 1000;
  private static final int MAX_PAGES = 20;
  private static final int KEEP_EVENTS = 50;

  private FleetSurvey() {}

  private record ServerRead(
      ServerState state, AuthenticationCheck check, List<EventLogEntry> events, String error) {}

  public static FleetFacts observe(
      Route route,
      String tenant,
      List<String> servers,
      Function<String, SyncServerActivities> stubs,
      DirectoryActivities directory) {
    Map<String, Promise<ServerRead>> reads = new LinkedHashMap<>();
    for (String s : servers) {
      SyncServerActivities stub = stubs.apply(s);
      reads.put(s, Async.function(() -> read(route, stub, s)));
    }
    List<ServerState> states = new ArrayList<>();
    Map<String, AuthenticationCheck> checks = new LinkedHashMap<>();
    Map<String, List<EventLogEntry>> events = new LinkedHashMap<>();
    Map<String, String> unreachable = new LinkedHashMap<>();
    for (String s : servers) {
      ServerRead r = reads.get(s).get();
      if (r.error() != null) {
        unreachable.put(s, r.error());
        continue;
      }
      states.add(r.state());
      checks.put(s, r.check());
      events.put(s, r.events());
    }
    List<AppRegistration> apps = List.of();
    List<String> admins = new ArrayList<>();
    List<RoleCheck> roleChecks = List.of();
    List<DirectoryPrerequisites.Missing> missing = new ArrayList<>();
    int version =
        Workflow.getVersion(
            DirectoryChecks.CHANGE_ID,
            Workflow.DEFAULT_VERSION,
            DirectoryChecks.PROVEN_PREREQUISITES);
    try {
      apps = directory.listProvisioningApplications();
      if (version >= DirectoryChecks.PROVEN_PREREQUISITES) {
        // What a remediation's preflight would prove: the same checks, reported as findings.
        roleChecks = directory.checkGlobalAdministrators(DirectoryChecks.accountsToCheck(states));
        for (RoleCheck c : roleChecks) {
          if (c.holdsRole()) admins.add(c.account());
          if (c.status() == RoleCheck.Status.CANNOT_TELL) {
            missing.add(
                new DirectoryPrerequisites.Missing(
                    "the Global Administrator check of " + c.account(),
                    "cannot tell: " + c.how(),
                    "grant the directory worker's app " + c.missingPermission()));
          }
        }
        missing.addAll(directory.checkApplicationAccess(shared(apps, states)));
      } else {
        for (String account :
            states.stream()
                .map(ServerState::connectorAccount)
                .filter(a -> a != null && !a.isBlank())
                .distinct()
                .toList()) {
          if (directory.isGlobalAdministrator(account)) admins.add(account);
        }
      }
    } catch (TemporalFailure e) {
      unreachable.put(
          DIRECTORY, FailureText.of(e, route.directoryQueue(), "the directory worker's host"));
    }
    return new FleetFacts(
        new FleetObservation(tenant, states, checks, apps, admins, roleChecks),
        events,
        unreachable,
        missing);
  }

  /** The apps more than one server authenticates with: what a remediation would delete. */
  private static List<AppRegistration> shared(
      List<AppRegistration> apps, List<ServerState> states) {
    return apps.stream()
        .filter(
            a ->
                states.stream().filter(s -> a.appId().equalsIgnoreCase(s.applicationId())).count()
                    > 1)
        .toList();
  }

  private static ServerRead read(Route route, SyncServerActivities stub, String server) {
    try {
      ServerState state = stub.inspectServer(server);
      AuthenticationCheck check = stub.testConnectorAuthentication(server);
      List<EventLogEntry> relevant = new ArrayList<>();
      long after = 0;
      for (int page = 0; page < MAX_PAGES; page++) {
        List<EventLogEntry> batch = stub.readEvents(server, after, PAGE);
        for (EventLogEntry e : batch) {
          after = Math.max(after, e.recordId());
          if (FleetFacts.relevant(e)) relevant.add(e);
        }
        if (batch.size() < PAGE) break;
      }
      if (relevant.size() > KEEP_EVENTS) {
        relevant =
            new ArrayList<>(relevant.subList(relevant.size() - KEEP_EVENTS, relevant.size()));
      }
      return new ServerRead(state, check, relevant, null);
    } catch (TemporalFailure e) {
      return new ServerRead(
          null, null, List.of(), FailureText.of(e, route.serverQueue(server), server));
    }
  }
}
