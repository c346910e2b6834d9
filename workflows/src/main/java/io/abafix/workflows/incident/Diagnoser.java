package io.abafix.workflows.incident;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.RepairStep;
import io.abafix.workflows.plan.ConnectVersions;
import io.abafix.workflows.plan.ConnectVersions.Note;
import io.abafix.workflows.plan.ConnectVersions.Verdict;
import io.abafix.workflows.plan.FleetObservation;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.Planner;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Diagnoses a fleet of Entra Connect servers against Microsoft's troubleshooting article, and
 * proposes the workflows that fix what it finds. Pure and deterministic, like {@link Planner}: the
 * incident workflow, the diagnosis workflow and {@code abafix diagnose} all call it.
 */
public final class Diagnoser {
  /** The text that marks event 906 as the shared-app conflict (and nothing else does). */
  public static final String AADSTS700027 = "AADSTS700027";

  private static final List<String> ALL_PARAMETERS =
      List.of("ApplicationManagedBy", "CertificateManagedBy", "CertificateId");

  private Diagnoser() {}

  /**
   * @param nowMillis the time to judge certificate expiry against (workflow time in workflows)
   * @param expiryWarningDays a certificate expiring within this many days is a finding
   */
  public static Diagnosis diagnose(FleetFacts facts, long nowMillis, int expiryWarningDays) {
    FleetObservation fleet = facts.observation();
    List<ServerState> servers = fleet.servers();
    List<Finding> findings = new ArrayList<>();

    facts
        .unreachable()
        .forEach(
            (server, why) ->
                findings.add(
                    new Finding(
                        FindingKind.SERVER_UNREACHABLE,
                        Finding.ERROR,
                        List.of(server),
                        server + " could not be read, so it is not diagnosed",
                        List.of(why),
                        "start the abafix worker on " + server + ", then diagnose again",
                        Remedy.NONE)));

    for (DirectoryPrerequisites.Missing m : facts.directoryPrerequisites()) {
      findings.add(
          new Finding(
              FindingKind.DIRECTORY_PREREQUISITE_MISSING,
              Finding.ERROR,
              List.of(),
              m.subject() + ": " + m.what(),
              List.of(m.what()),
              m.fix(),
              Remedy.NONE));
    }

    Map<String, List<ServerState>> byMachineId = group(servers, ServerState::machineId);
    byMachineId.forEach(
        (id, group) -> {
          if (group.size() < 2) return;
          findings.add(
              new Finding(
                  FindingKind.DUPLICATE_MACHINE_ID,
                  Finding.ERROR,
                  names(group),
                  String.join(", ", names(group)) + " share SyncMachineIdentifier " + id,
                  group.stream()
                      .map(s -> s.server() + ": SyncMachineIdentifier " + s.machineId())
                      .toList(),
                  "a server cloned after Entra Connect was installed needs its own machine id and"
                      + " app registration: abafix remediate --tenant "
                      + fleet.tenant()
                      + serverArgs(names(group))
                      + " (regenerates the id on all but one, following the article)",
                  Remedy.SHARED_APP_REMEDIATION));
        });

    Map<String, List<ServerState>> byApp =
        group(
            servers.stream().filter(s -> s.identityType() == IdentityType.Application).toList(),
            ServerState::applicationId);
    byApp.forEach(
        (appId, group) -> {
          if (group.size() < 2) return;
          findings.add(
              new Finding(
                  FindingKind.SHARED_APPLICATION,
                  Finding.ERROR,
                  names(group),
                  String.join(", ", names(group))
                      + " authenticate with one app registration "
                      + appId,
                  group.stream()
                      .map(
                          s ->
                              s.server()
                                  + ": app "
                                  + s.applicationId()
                                  + ", certificate "
                                  + s.certificateId()
                                  + ", signs in: "
                                  + signIn(fleet, s.server()))
                      .toList(),
                  "only one server can authenticate with one app at a time; each needs its own:"
                      + " abafix remediate --tenant "
                      + fleet.tenant()
                      + serverArgs(names(group)),
                  Remedy.SHARED_APP_REMEDIATION));
        });

    Map<String, List<ServerState>> byAccount = group(servers, ServerState::connectorAccount);
    byAccount.forEach(
        (account, group) -> {
          if (group.size() < 2) return;
          findings.add(
              new Finding(
                  FindingKind.SHARED_CONNECTOR_ACCOUNT,
                  Finding.WARNING,
                  names(group),
                  String.join(", ", names(group)) + " were installed with one connector account",
                  group.stream()
                      .map(s -> s.server() + ": connector account " + s.connectorAccount())
                      .toList(),
                  "automatic ABA onboarding keys the app on this account, so these servers end up"
                      + " on one app; give each its own (the remediation reverts each to"
                      + " Sync_<server>_<id12>)",
                  Remedy.NONE));
        });

    for (ServerState s : servers) {
      AuthenticationCheck check = fleet.authentication().get(s.server());
      if (check == null || check.authenticated()) continue;
      boolean conflict = AADSTS700027.equals(check.errorCode());
      boolean shared =
          s.applicationId() != null
              && byApp.getOrDefault(key(s.applicationId()), List.of()).size() > 1;
      List<String> evidence = new ArrayList<>();
      evidence.add(
          s.server() + ": sign-in with " + s.identityType() + " fails: " + check.errorCode());
      lastEvent(facts, s.server(), 906)
          .ifPresent(
              e ->
                  evidence.add(
                      s.server()
                          + ": event 906 (record "
                          + e.recordId()
                          + ", "
                          + e.timeCreated()
                          + "): "
                          + shorten(e.message())));
      String recommendation;
      Remedy remedy;
      if (conflict && shared) {
        recommendation =
            "the app's key was replaced by another server's rotation: remediate the shared app";
        remedy = Remedy.SHARED_APP_REMEDIATION;
      } else if (conflict) {
        recommendation =
            "the app does not hold this server's certificate: rotate the application certificate"
                + " with the Entra Connect wizard on "
                + s.server();
        remedy = Remedy.NONE;
      } else {
        recommendation =
            "not an ABA certificate problem ("
                + check.errorCode()
                + "): check Conditional Access and the account in the sign-in logs";
        remedy = Remedy.NONE;
      }
      findings.add(
          new Finding(
              FindingKind.SIGN_IN_FAILING,
              Finding.ERROR,
              List.of(s.server()),
              s.server() + " cannot sign in to Microsoft Entra ID (" + check.errorCode() + ")",
              evidence,
              recommendation,
              remedy));
    }

    for (ServerState s : servers) {
      List<String> blank = blankParameters(s);
      if (blank.isEmpty()) continue;
      findings.add(
          new Finding(
              FindingKind.BLANK_PARAMETERS,
              Finding.ERROR,
              List.of(s.server()),
              s.server() + ": " + String.join(", ", blank) + " blank on the Entra connector",
              List.of(
                  s.server()
                      + ": Connect "
                      + s.version()
                      + ", identity Application, blank "
                      + String.join(", ", blank)
                      + ", ADSyncTools "
                      + (s.adSyncToolsVersion() == null
                          ? "not installed"
                          : s.adSyncToolsVersion())),
              "the next certificate rollover will fail: abafix repair --tenant "
                  + fleet.tenant()
                  + " --server "
                  + s.server()
                  + " (ADSyncTools 2.3.0+, Repair-ADSyncToolsEntraAppParameters); "
                  + (keepsParameters(s, nowMillis)
                      ? "this version no longer clears them when the connector is saved in"
                          + " Synchronization Service Manager, but those already blank stay blank"
                          + " until repaired"
                      : "never select OK on the connector in Synchronization Service Manager"
                          + " (this version clears them; 2.6.1.0 and later do not)"),
              Remedy.CONNECTOR_PARAMETER_REPAIR));
    }

    for (String account : fleet.globalAdministrators()) {
      List<String> users =
          servers.stream()
              .filter(s -> account.equalsIgnoreCase(s.connectorAccount()))
              .map(ServerState::server)
              .toList();
      findings.add(
          new Finding(
              FindingKind.GLOBAL_ADMINISTRATOR_CONNECTOR_ACCOUNT,
              Finding.WARNING,
              users,
              account + " is a connector account and holds Global Administrator",
              List.of(
                  account
                      + ": directory role Global Administrator"
                      + (fleet.administratorRoute(account) == null
                          ? ""
                          : " (" + fleet.administratorRoute(account) + ")")),
              "never use a Global Administrator as the connector account: a compromised sync server"
                  + " then puts the whole tenant at risk; use a dedicated, restricted account",
              Remedy.NONE));
    }

    Duration warning = Duration.ofDays(Math.max(0, expiryWarningDays));
    for (ServerState s : servers) {
      List<String> evidence = new ArrayList<>();
      boolean expired = false;
      AppRegistration app = appOf(fleet, s);
      if (app != null && s.certificateId() != null) {
        for (KeyCredential k : app.keyCredentials()) {
          if (!k.identifies(s.certificateId())) continue;
          Instant end = parse(k.endDateTime());
          if (end == null) continue;
          if (end.toEpochMilli() <= nowMillis) {
            expired = true;
            evidence.add(s.server() + ": certificate " + k.thumbprint() + " expired " + end);
          } else if (end.toEpochMilli() - nowMillis <= warning.toMillis()) {
            evidence.add(s.server() + ": certificate " + k.thumbprint() + " expires " + end);
          }
        }
      }
      for (EventLogEntry e : facts.events().getOrDefault(s.server(), List.of())) {
        if (e.eventId() != 1011 && e.eventId() != 1012) continue;
        Instant at = parse(e.timeCreated());
        // An old warning about a certificate that has since been rolled over is no finding.
        if (at != null && nowMillis - at.toEpochMilli() > warning.toMillis()) continue;
        expired |= e.eventId() == 1012;
        evidence.add(
            s.server()
                + ": event "
                + e.eventId()
                + " (record "
                + e.recordId()
                + ", "
                + e.timeCreated()
                + "): "
                + shorten(e.message()));
      }
      if (evidence.isEmpty()) continue;
      findings.add(
          new Finding(
              FindingKind.CERTIFICATE_EXPIRY,
              expired ? Finding.ERROR : Finding.WARNING,
              List.of(s.server()),
              s.server() + "'s ABA certificate " + (expired ? "has expired" : "expires soon"),
              evidence,
              "keep the sync scheduler running so that the automatic rollover can happen (it does"
                  + " not while the scheduler is suspended); if it does not, rotate the certificate"
                  + " with the Entra Connect wizard"
                  + (blankParameters(s).isEmpty() ? "" : " after repairing the blank parameters"),
              Remedy.NONE));
    }

    for (ServerState s : servers) versionFindings(s, nowMillis, findings);
    for (ServerState s : servers) {
      lastEvent(facts, s.server(), 1014)
          .ifPresent(
              e ->
                  findings.add(
                      new Finding(
                          FindingKind.NO_TPM,
                          Finding.WARNING,
                          List.of(s.server()),
                          s.server() + "'s ABA certificate key is not kept in a TPM",
                          List.of(
                              s.server()
                                  + ": event 1014 (record "
                                  + e.recordId()
                                  + ", "
                                  + e.timeCreated()
                                  + "): "
                                  + shorten(e.message())),
                          "Microsoft recommends a TPM 2.0 for the certificate's private key: enable"
                              + " one (Get-Tpm shows its state; a Hyper-V generation 2 VM has"
                              + " Security > Enable Trusted Platform Module), then rotate the"
                              + " application certificate so that a new key is made in it",
                          Remedy.NONE)));
    }

    return new Diagnosis(
        fleet.tenant(),
        servers.stream().map(ServerState::server).toList(),
        findings.stream()
            .sorted(
                (a, b) ->
                    Integer.compare(
                        a.severity().equals(Finding.ERROR) ? 0 : 1,
                        b.severity().equals(Finding.ERROR) ? 0 : 1))
            .toList());
  }

  /**
   * The workflows that fix the diagnosis, in the order they should run: repairs of blank parameters
   * first (a certificate rotation refuses while they are blank), then the shared-app remediation,
   * if any finding calls for it and the planner finds steps to take.
   *
   * @param nowMillis the time the plan's version rules are judged at (workflow time in workflows)
   */
  public static List<ProposedRun> propose(
      Diagnosis diagnosis, FleetFacts facts, String tenant, long nowMillis) {
    List<ProposedRun> runs = new ArrayList<>();
    for (Finding f : diagnosis.of(FindingKind.BLANK_PARAMETERS)) {
      String server = f.servers().get(0);
      List<String> plan = new ArrayList<>();
      int i = 1;
      for (RepairStep step : RepairStep.values()) {
        plan.add(
            String.format(Locale.ROOT, "%2d. %-22s %-10s %s", i++, step, server, step.summary()));
      }
      runs.add(
          new ProposedRun(
              Remedy.CONNECTOR_PARAMETER_REPAIR,
              WorkflowIds.repair(tenant, server),
              List.of(server),
              plan));
    }
    boolean shared =
        diagnosis.findings().stream().anyMatch(f -> f.remedy() == Remedy.SHARED_APP_REMEDIATION);
    if (shared) {
      Plan plan = Planner.plan(facts.observation(), nowMillis);
      if (!plan.nothingToDo()) {
        List<String> servers = new ArrayList<>();
        servers.add(plan.workingServer());
        servers.addAll(plan.brokenServers());
        runs.add(
            new ProposedRun(
                Remedy.SHARED_APP_REMEDIATION,
                WorkflowIds.remediation(tenant),
                servers,
                plan.steps().stream().map(Diagnoser::line).toList()));
      }
    }
    return runs;
  }

  /** One plan step as the proposal shows it. */
  public static String line(PlannedStep s) {
    return String.format(
        Locale.ROOT,
        "%2d. %-26s %-10s %s%s",
        s.order(),
        s.step(),
        s.target(),
        s.destructive() ? "[needs approval] " : "",
        s.description());
  }

  /** The findings the version table gives for one server. */
  private static void versionFindings(ServerState s, long nowMillis, List<Finding> findings) {
    for (Note n : ConnectVersions.table().assess(s.version(), nowMillis)) {
      String evidence =
          s.server()
              + ": Entra Connect "
              + s.version()
              + "; "
              + n.row().text()
              + " ("
              + source(n)
              + ")";
      switch (n.verdict()) {
        case SYNC_STOPPED, SYNC_WILL_STOP ->
            findings.add(
                new Finding(
                    FindingKind.VERSION_SYNC_STOPS,
                    n.verdict() == Verdict.SYNC_STOPPED ? Finding.ERROR : Finding.WARNING,
                    List.of(s.server()),
                    s.server()
                        + (n.verdict() == Verdict.SYNC_STOPPED
                            ? " no longer syncs: Entra Connect "
                            : " will stop syncing: Entra Connect ")
                        + s.version()
                        + " is below "
                        + n.row().version(),
                    List.of(evidence),
                    "upgrade Entra Connect on "
                        + s.server()
                        + " to "
                        + n.row().version()
                        + " or later (from the Microsoft Entra admin center); no abafix workflow"
                        + " can restore sync on this version",
                    Remedy.NONE));
        case PAST_END_OF_SUPPORT ->
            findings.add(
                new Finding(
                    FindingKind.VERSION_PAST_END_OF_SUPPORT,
                    Finding.WARNING,
                    List.of(s.server()),
                    s.server() + ": Entra Connect " + s.version() + " is past its end of support",
                    List.of(evidence),
                    "upgrade Entra Connect on " + s.server() + " to a supported version",
                    Remedy.NONE));
        case NO_AUTOMATIC_SWITCH -> {
          if (s.identityType() != IdentityType.ServiceAccount) break;
          findings.add(
              new Finding(
                  FindingKind.NO_AUTOMATIC_ABA_SWITCH,
                  Finding.WARNING,
                  List.of(s.server()),
                  s.server()
                      + " authenticates with a service account, and Entra Connect "
                      + s.version()
                      + " will not switch it to application-based authentication by itself",
                  List.of(
                      evidence, s.server() + ": identity ServiceAccount " + s.serviceAccountName()),
                  "configure application-based authentication on "
                      + s.server()
                      + " (the Entra Connect wizard: Configure application-based authentication)",
                  Remedy.NONE));
        }
        default -> {}
      }
    }
  }

  private static boolean keepsParameters(ServerState s, long nowMillis) {
    return !ConnectVersions.table()
        .assess(s.version(), nowMillis, Verdict.PARAMETERS_KEPT_ON_SAVE)
        .isEmpty();
  }

  private static String source(Note n) {
    return n.row().status() + ": " + n.row().source();
  }

  /** The blank ABA parameters of a server on Application; none for any other identity. */
  public static List<String> blankParameters(ServerState s) {
    if (s.identityType() != IdentityType.Application) return List.of();
    AbaParameters p = s.abaParameters();
    return p == null ? ALL_PARAMETERS : p.blankNames();
  }

  private static AppRegistration appOf(FleetObservation fleet, ServerState s) {
    if (s.identityType() != IdentityType.Application || s.applicationId() == null) return null;
    return fleet.applications().stream()
        .filter(a -> s.applicationId().equalsIgnoreCase(a.appId()))
        .findFirst()
        .orElse(null);
  }

  private static java.util.Optional<EventLogEntry> lastEvent(
      FleetFacts facts, String server, int eventId) {
    List<EventLogEntry> events = facts.events().getOrDefault(server, List.of());
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).eventId() == eventId) return java.util.Optional.of(events.get(i));
    }
    return java.util.Optional.empty();
  }

  private static String signIn(FleetObservation fleet, String server) {
    AuthenticationCheck c = fleet.authentication().get(server);
    if (c == null) return "unknown";
    return c.authenticated() ? "yes" : "no (" + c.errorCode() + ")";
  }

  private static Map<String, List<ServerState>> group(
      List<ServerState> servers, Function<ServerState, String> by) {
    Map<String, List<ServerState>> groups = new LinkedHashMap<>();
    for (ServerState s : servers) {
      String value = by.apply(s);
      if (value == null || value.isBlank()) continue;
      groups.computeIfAbsent(key(value), k -> new ArrayList<>()).add(s);
    }
    return groups;
  }

  private static List<String> names(List<ServerState> group) {
    return group.stream().map(ServerState::server).toList();
  }

  private static String serverArgs(List<String> names) {
    StringBuilder b = new StringBuilder();
    names.forEach(n -> b.append(" --server ").append(n));
    return b.toString();
  }

  private static Instant parse(String iso) {
    if (iso == null || iso.isBlank()) return null;
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(iso).toInstant();
      } catch (DateTimeParseException again) {
        return null;
      }
    }
  }

  private static String shorten(String text) {
    if (text == null) return "";
    String t = text.strip();
    int at = t.indexOf(AADSTS700027);
    if (at > 0) t = t.substring(at);
    return t.length() <= 160 ? t : t.substring(0, 160) + "...";
  }

  private static String key(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
