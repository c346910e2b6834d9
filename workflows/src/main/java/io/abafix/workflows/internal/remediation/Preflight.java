package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.now;

import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.plan.DirectoryChecks;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.FleetObservation;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.StepName;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Phase 0: reads every server (in parallel) and the directory, and records it. Changes nothing. */
public final class Preflight {
  private static final String AADSTS700027 = "AADSTS700027";

  private final RemediationRun run;

  public Preflight(RemediationRun run) {
    this.run = run;
  }

  public FleetObservation observe() {
    run.current = StepName.PREFLIGHT.name();
    run.prerequisitesVersion =
        Workflow.getVersion(
            "directory-prerequisites", Workflow.DEFAULT_VERSION, PROVEN_PREREQUISITES);
    run.visibility.phase(run.current, run.request.tenant());
    Map<String, Promise<ServerState>> states = new LinkedHashMap<>();
    Map<String, Promise<AuthenticationCheck>> auth = new LinkedHashMap<>();
    Map<String, Promise<List<EventLogEntry>>> events = new LinkedHashMap<>();
    for (String s : run.request.servers()) {
      run.serverSteps.put(s, StepName.PREFLIGHT.name());
      SyncServerActivities server = run.server(s);
      states.put(s, Async.function(server::inspectServer, s));
      auth.put(s, Async.function(server::testConnectorAuthentication, s));
      events.put(s, Async.function(server::readEvents, s, 0L, 200));
    }
    Promise<List<AppRegistration>> apps =
        Async.function(run.directory::listProvisioningApplications);

    List<ServerState> fleet = new ArrayList<>();
    Map<String, AuthenticationCheck> checks = new LinkedHashMap<>();
    for (String s : run.request.servers()) {
      long started = now();
      run.current = StepName.PREFLIGHT + "@" + s;
      ServerState st = states.get(s).get();
      AuthenticationCheck check = auth.get(s).get();
      List<EventLogEntry> log = events.get(s).get();
      run.preflight.put(s, st);
      fleet.add(st);
      checks.put(s, check);
      // The server returns the newest entries: the newest record id is the watermark final
      // verification reads after, and only conflicts of the last day count as current.
      run.lastEventAtPreflight.put(
          s, log.stream().mapToLong(EventLogEntry::recordId).max().orElse(0L));
      long recentFrom = now() - RECENT_EVENTS.toMillis();
      Map<String, String> facts = new LinkedHashMap<>(RemediationRun.facts(st));
      facts.put("signsIn", check.authenticated() ? "yes" : "no (" + check.errorCode() + ")");
      facts.put("version", String.valueOf(st.version()));
      facts.put("stagingMode", String.valueOf(st.stagingMode()));
      facts.put(
          "aadsts700027Events",
          String.valueOf(
              log.stream()
                  .filter(Preflight::isConflict)
                  .filter(e -> loggedSince(e, recentFrom))
                  .count()));
      run.journal
          .entry(StepName.PREFLIGHT.name())
          .target(s)
          .executor(Executor.AUTOMATED.name())
          .between(started, now())
          .attempts(1)
          .outcome("DONE")
          .after(facts)
          .detail("inspected; nothing changed")
          .record();
    }
    run.current = StepName.PREFLIGHT + "@" + PlannedStep.DIRECTORY;
    List<AppRegistration> applications = apps.get();
    List<String> admins = new ArrayList<>();
    List<RoleCheck> roleChecks = List.of();
    if (run.prerequisitesVersion >= PROVEN_PREREQUISITES) {
      // Active and eligible, direct or through groups; "cannot tell" becomes a prerequisite.
      roleChecks = run.directory.checkGlobalAdministrators(DirectoryChecks.accountsToCheck(fleet));
      roleChecks.stream().filter(RoleCheck::holdsRole).forEach(c -> admins.add(c.account()));
      run.roleChecks = roleChecks;
    } else {
      for (String account :
          fleet.stream()
              .map(ServerState::connectorAccount)
              .filter(a -> a != null && !a.isBlank())
              .distinct()
              .toList()) {
        if (run.directory.isGlobalAdministrator(account)) admins.add(account);
      }
    }
    run.journal
        .entry(StepName.PREFLIGHT.name())
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.AUTOMATED.name())
        .at(now())
        .attempts(1)
        .outcome("DONE")
        .after(
            Map.of(
                "applications",
                String.join(
                    ", ",
                    applications.stream().map(a -> a.displayName() + "=" + a.appId()).toList()),
                "globalAdministratorConnectorAccounts",
                String.join(", ", admins),
                "globalAdministratorCheck",
                String.join("; ", roleChecks.stream().map(RoleCheck::describe).sorted().toList())))
        .detail("listed " + applications.size() + " ConnectSyncProvisioning_* apps")
        .record();
    run.request.servers().forEach(s -> run.serverSteps.put(s, "planned"));
    return new FleetObservation(
        run.request.tenant(), fleet, checks, applications, admins, roleChecks);
  }

  /** The version of the run that proves the directory's prerequisites before any change. */
  public static final int PROVEN_PREREQUISITES = DirectoryChecks.PROVEN_PREREQUISITES;

  /**
   * How far back preflight counts AADSTS700027 events as current: the scheduler runs every 30 min.
   */
  private static final java.time.Duration RECENT_EVENTS = java.time.Duration.ofHours(24);

  /** Whether the entry was logged at or after {@code fromMillis}; an unreadable time counts. */
  private static boolean loggedSince(EventLogEntry e, long fromMillis) {
    try {
      return java.time.Instant.parse(e.timeCreated()).toEpochMilli() >= fromMillis;
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  /** Event 906 that names AADSTS700027: a server signing in with a certificate its app lacks. */
  public static boolean isConflict(EventLogEntry e) {
    return e.eventId() == 906 && e.message() != null && e.message().contains(AADSTS700027);
  }
}
