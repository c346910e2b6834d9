package io.abafix.workflows.plan;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.plan.ConnectVersions.Note;
import io.abafix.workflows.plan.ConnectVersions.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a fleet observation into the documented procedure, generalised from two servers to N. Pure
 * and deterministic, so workflows may call it and tests can check it directly.
 *
 * <p>A server is affected when it shares its app registration or its machine id with another
 * server, or when its app no longer holds its certificate (AADSTS700027). Healthy servers are never
 * touched. An app is deleted only when affected servers share it, and a plan whose shared app holds
 * a certificate none of the named servers uses is blocked: a server outside the run still depends
 * on that app. A server whose Entra Connect version cannot configure application-based
 * authentication, or no longer syncs ({@link ConnectVersions}), blocks the plan too.
 */
public final class Planner {
  private static final String CERTIFICATE_NOT_REGISTERED = "AADSTS700027";

  private Planner() {}

  /**
   * A plan with every step automated.
   *
   * @param nowMillis the time to judge the version table's dates against (workflow time in
   *     workflows)
   */
  public static Plan plan(FleetObservation fleet, long nowMillis) {
    return plan(fleet, Set.of(), nowMillis);
  }

  /**
   * @param operatorSteps steps that a person performs and confirms instead of abafix
   * @param nowMillis the time to judge the version table's dates against (workflow time in
   *     workflows)
   */
  public static Plan plan(FleetObservation fleet, Set<StepName> operatorSteps, long nowMillis) {
    List<ServerState> servers = fleet.servers();
    List<String> findings = new ArrayList<>();

    Map<String, List<String>> byApp = new LinkedHashMap<>();
    Map<String, List<String>> byMachineId = new LinkedHashMap<>();
    for (ServerState s : servers) {
      if (s.identityType() == IdentityType.Application && s.applicationId() != null) {
        byApp.computeIfAbsent(key(s.applicationId()), k -> new ArrayList<>()).add(s.server());
      }
      if (s.machineId() != null) {
        byMachineId.computeIfAbsent(key(s.machineId()), k -> new ArrayList<>()).add(s.server());
      }
    }

    Set<String> affected = new LinkedHashSet<>();
    Set<String> sharedAppIds = new LinkedHashSet<>();
    byApp.forEach(
        (appId, users) -> {
          if (users.size() > 1) {
            findings.add("servers " + String.join(", ", users) + " share app " + appId);
            affected.addAll(users);
            sharedAppIds.add(appId);
          }
        });
    byMachineId.forEach(
        (id, users) -> {
          if (users.size() > 1) {
            findings.add("servers " + String.join(", ", users) + " share machine id " + id);
            affected.addAll(users);
          }
        });
    for (ServerState s : servers) {
      if (!fleet.signsIn(s.server())) {
        var check = fleet.authentication().get(s.server());
        findings.add(
            s.server() + " cannot sign in" + (check == null ? "" : ": " + check.errorCode()));
        // Its app does not hold its certificate (or is gone): it needs an app of its own even when
        // the server it shared with is not part of this run.
        if (s.identityType() == IdentityType.Application
            && check != null
            && CERTIFICATE_NOT_REGISTERED.equals(check.errorCode())) {
          affected.add(s.server());
        }
      }
      if (s.connectorAccount() != null
          && fleet.globalAdministrators().stream()
              .anyMatch(s.connectorAccount()::equalsIgnoreCase)) {
        String route = fleet.administratorRoute(s.connectorAccount());
        findings.add(
            s.server()
                + " uses a Global Administrator as connector account ("
                + s.connectorAccount()
                + (route == null ? "" : ", " + route)
                + "): the revert replaces it with Sync_<server>_<id12>");
      }
    }
    // A server the plan includes and cannot finish is a blocker (below); any other is a finding.
    for (ServerState s : servers) {
      findings.addAll(versionFindings(s, nowMillis, !affected.contains(s.server())));
    }
    // A stopped ADSync hides which identity the server uses (Unknown): planning, or saying there is
    // nothing to fix, would be a guess.
    List<String> stopped =
        servers.stream()
            .filter(s -> !s.adSyncRunning())
            .map(
                s ->
                    s.server()
                        + ": the ADSync service is stopped, so its connector could not be read;"
                        + " start it (Start-Service ADSync) and run the remediation again")
            .toList();
    if (!stopped.isEmpty()) {
      return new Plan(
          fleet.tenant(), null, List.of(), List.of(), List.of(), findings, List.of(), stopped);
    }
    if (affected.isEmpty()) {
      findings.add(
          "no server shares an app registration or a machine id, and none is locked out of its"
              + " app: nothing to fix");
      return new Plan(
          fleet.tenant(), null, List.of(), List.of(), List.of(), findings, List.of(), List.of());
    }

    // Server A is the one that still signs in; the procedure keeps it syncing longest.
    List<String> ordered =
        servers.stream().map(ServerState::server).filter(affected::contains).toList();
    String working = ordered.stream().filter(fleet::signsIn).findFirst().orElse(ordered.get(0));
    List<String> broken = ordered.stream().filter(s -> !s.equals(working)).toList();

    // Within each group of equal machine ids the first server (A first) keeps its id.
    List<String> regenerate = new ArrayList<>();
    List<String> keepOrder = new ArrayList<>();
    keepOrder.add(working);
    keepOrder.addAll(broken);
    Set<String> seenIds = new LinkedHashSet<>();
    for (String name : keepOrder) {
      String id = key(state(fleet, name).machineId());
      if (!seenIds.add(id)) regenerate.add(name);
    }

    List<AppRegistration> toDelete =
        fleet.applications().stream().filter(a -> sharedAppIds.contains(key(a.appId()))).toList();
    for (String appId : sharedAppIds) {
      if (toDelete.stream().noneMatch(a -> key(a.appId()).equals(appId))) {
        findings.add(
            "shared app "
                + appId
                + " is not among the ConnectSyncProvisioning_* apps: delete it by hand");
      }
    }

    Steps steps = new Steps(operatorSteps);
    steps.add(1, StepName.PAUSE_SCHEDULER, working, Executor.AUTOMATED, false, "");
    steps.add(1, StepName.WAIT_FOR_SYNC_CYCLE, working, Executor.WORKFLOW, false, "");
    steps.add(
        1,
        StepName.REVERT_TO_SERVICE_ACCOUNT,
        working,
        Executor.AUTOMATED,
        true,
        "Sync_" + working + "_" + state(fleet, working).machineIdPrefix());
    steps.add(1, StepName.VERIFY_SERVICE_ACCOUNT, working, Executor.WORKFLOW, false, "");
    steps.add(1, StepName.RECORD_MACHINE_ID, working, Executor.WORKFLOW, false, "");
    for (String b : broken) {
      ServerState s = state(fleet, b);
      if (s.identityType() == IdentityType.Application && !fleet.signsIn(b)) {
        steps.add(2, StepName.ROTATE_CERTIFICATE, b, Executor.AUTOMATED, false, "");
      }
      steps.add(2, StepName.PAUSE_SCHEDULER, b, Executor.AUTOMATED, false, "");
      steps.add(2, StepName.WAIT_FOR_SYNC_CYCLE, b, Executor.WORKFLOW, false, "");
      steps.add(2, StepName.COMPARE_MACHINE_IDS, b, Executor.WORKFLOW, false, "");
      if (regenerate.contains(b)) {
        steps.add(
            2,
            StepName.REGENERATE_MACHINE_ID,
            b,
            Executor.AUTOMATED,
            true,
            "machine id " + s.machineId() + " is also used by another server");
      }
      steps.add(2, StepName.REVERT_TO_SERVICE_ACCOUNT, b, Executor.AUTOMATED, true, "");
      steps.add(2, StepName.VERIFY_SERVICE_ACCOUNT, b, Executor.WORKFLOW, false, "");
    }
    if (!toDelete.isEmpty()) {
      steps.add(
          3,
          StepName.DELETE_APPLICATIONS,
          PlannedStep.DIRECTORY,
          Executor.AUTOMATED,
          true,
          String.join(
              ", ", toDelete.stream().map(a -> a.displayName() + " (" + a.appId() + ")").toList()));
    }
    for (String b : broken) {
      steps.add(4, StepName.CONFIGURE_ABA, b, Executor.AUTOMATED, false, "");
      steps.add(4, StepName.VERIFY_APPLICATION, b, Executor.WORKFLOW, false, "");
      steps.add(4, StepName.RESUME_SCHEDULER, b, Executor.AUTOMATED, false, "");
    }
    steps.add(5, StepName.CONFIGURE_ABA, working, Executor.AUTOMATED, false, "");
    steps.add(5, StepName.VERIFY_APPLICATION, working, Executor.WORKFLOW, false, "");
    steps.add(5, StepName.RESUME_SCHEDULER, working, Executor.AUTOMATED, false, "");
    steps.add(6, StepName.FINAL_VERIFICATION, PlannedStep.DIRECTORY, Executor.WORKFLOW, false, "");

    List<String> blockers = new ArrayList<>(outsiders(fleet, toDelete));
    for (String name : keepOrder) {
      blockers.addAll(versionBlockers(state(fleet, name), nowMillis));
      if (!ConnectVersions.table()
          .assess(state(fleet, name).version(), nowMillis, Verdict.SWITCHES_ITSELF_TO_ABA)
          .isEmpty()) {
        findings.add(
            name
                + " runs Entra Connect "
                + state(fleet, name).version()
                + ", which switches a server on a service account back to application-based"
                + " authentication by itself within six hours: run the plan through without long"
                + " pauses between the revert and CONFIGURE_ABA");
      }
    }

    return new Plan(
        fleet.tenant(), working, broken, toDelete, regenerate, findings, steps.list, blockers);
  }

  /**
   * What the version table says about a server that preflight should report.
   *
   * @param stops whether to include what would block a server of the plan (for servers outside it)
   */
  private static List<String> versionFindings(ServerState s, long nowMillis, boolean stops) {
    List<String> lines = new ArrayList<>();
    for (Note n : ConnectVersions.table().assess(s.version(), nowMillis)) {
      switch (n.verdict()) {
        case UNKNOWN_VERSION, SYNC_WILL_STOP, PAST_END_OF_SUPPORT ->
            lines.add(s.server() + ": " + n.line());
        case NO_ABA, SYNC_STOPPED -> {
          if (stops) lines.add(s.server() + ": " + n.line());
        }
        default -> {}
      }
    }
    return lines;
  }

  /**
   * A server whose version cannot take part: it cannot configure application-based authentication,
   * or it has stopped syncing, so the remediation could not end with it syncing again.
   */
  private static List<String> versionBlockers(ServerState s, long nowMillis) {
    List<String> lines = new ArrayList<>();
    for (Note n : ConnectVersions.table().assess(s.version(), nowMillis)) {
      if (n.verdict() == Verdict.NO_ABA || n.verdict() == Verdict.SYNC_STOPPED) {
        lines.add(s.server() + ": " + n.line() + ", then run the remediation again");
      }
    }
    return lines;
  }

  /**
   * A shared app that holds a certificate no server of this run uses is also used by a server
   * outside it: rotating on a listed server would cut that server off, and the deletion would
   * remove its identity. Such a run must name every server that shares the app.
   */
  private static List<String> outsiders(FleetObservation fleet, List<AppRegistration> toDelete) {
    List<String> blockers = new ArrayList<>();
    for (AppRegistration app : toDelete) {
      for (var k : app.keyCredentials()) {
        if (fleet.servers().stream().noneMatch(s -> k.identifies(s.certificateId()))) {
          blockers.add(
              app.displayName()
                  + " ("
                  + app.appId()
                  + ") holds certificate "
                  + k.thumbprint()
                  + ", which none of the servers named uses: a server outside this run signs in"
                  + " with this app; name every server that shares it");
        }
      }
    }
    return blockers;
  }

  private static ServerState state(FleetObservation fleet, String name) {
    return fleet.servers().stream().filter(s -> s.server().equals(name)).findFirst().orElseThrow();
  }

  private static String key(String id) {
    return id == null ? "" : id.toLowerCase(Locale.ROOT);
  }

  private static final class Steps {
    final List<PlannedStep> list = new ArrayList<>();
    final Set<StepName> operatorSteps;

    Steps(Set<StepName> operatorSteps) {
      this.operatorSteps = operatorSteps;
    }

    void add(
        int phase,
        StepName step,
        String target,
        Executor executor,
        boolean destructive,
        String note) {
      if (executor == Executor.AUTOMATED && operatorSteps.contains(step)) {
        executor = Executor.OPERATOR;
      }
      String description = note.isEmpty() ? step.summary() : step.summary() + ": " + note;
      list.add(
          new PlannedStep(
              list.size() + 1, phase, step, target, executor, destructive, description));
    }
  }
}
