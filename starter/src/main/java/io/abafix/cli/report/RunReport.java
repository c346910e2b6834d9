package io.abafix.cli.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the report says about a run, derived from its journal alone: a pure function, so the page a
 * board reads is the journal's and nothing else's.
 *
 * @param runId the workflow id, when the caller knows it, else the journal's run id
 * @param tenant from the run's request entry, or null
 * @param outcome SUCCEEDED, COMPENSATED, FAILED, DRY_RUN, NOTHING_TO_DO or RUNNING
 * @param lanes one timeline per server (and one for the directory), in the order they appear
 * @param states each server's state before the run and at its end
 * @param findings what the plan found
 * @param decisions approvals, rejections, confirmations and the request itself
 */
public record RunReport(
    String runId,
    String tenant,
    String requestedBy,
    String outcome,
    String outcomeDetail,
    long startedAt,
    long endedAt,
    List<Lane> lanes,
    List<ServerStates> states,
    List<String> findings,
    List<Entry> decisions,
    List<Entry> entries,
    int retries,
    int compensations,
    Verification verification) {

  /** A directory lane's target in the journal. */
  static final String DIRECTORY = "directory";

  private static final Pattern TENANT = Pattern.compile("tenant ([^,\\s]+)");
  private static final Pattern APP_LIST = Pattern.compile("([^=,\\s]+)=([0-9a-fA-F-]{36})");

  /**
   * @param target a server name, or {@code directory}
   * @param entries the lane's steps, in journal order
   * @param paused windows in which the server's scheduler was paused by the run: {@code [start,
   *     end]}, with end {@code -1} while it still is
   */
  public record Lane(String target, List<Entry> entries, List<long[]> paused) {
    public long pausedMillis(long now) {
      long total = 0;
      for (long[] w : paused) total += (w[1] < 0 ? now : w[1]) - w[0];
      return total;
    }
  }

  /** A server's identity, app, machine id and scheduler at one moment. */
  public record ServerState(
      String identityType,
      String applicationId,
      String applicationName,
      String machineId,
      String scheduler) {}

  public record ServerStates(String server, ServerState before, ServerState after) {}

  /**
   * The report of a journal.
   *
   * @param runId the workflow id, or null to use the journal's own
   * @param knownOutcome the run's outcome when the caller has it from Temporal, else null to derive
   *     it from the journal
   */
  public static RunReport of(
      String runId, List<Entry> entries, String knownOutcome, Verification verification) {
    List<Entry> all = List.copyOf(entries);
    String tenant = null;
    String requestedBy = null;
    List<String> findings = new ArrayList<>();
    List<Entry> decisions = new ArrayList<>();
    Map<String, List<Entry>> byTarget = new LinkedHashMap<>();
    Map<String, List<long[]>> paused = new LinkedHashMap<>();
    Map<String, List<long[]>> recordedPauses = new LinkedHashMap<>();
    Map<String, Map<String, String>> current = new LinkedHashMap<>();
    Map<String, Map<String, String>> first = new LinkedHashMap<>();
    Map<String, String> appNames = new LinkedHashMap<>();
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    int retries = 0;
    int compensations = 0;

    for (Entry e : all) {
      start = Math.min(start, e.startedAt());
      end = Math.max(end, e.endedAt());
      retries += Math.max(0, e.attempts() - 1);
      if (e.compensation()) compensations++;
      if (e.step().equals("REQUEST")) {
        Matcher m = TENANT.matcher(e.detail());
        if (m.find() && tenant == null) tenant = m.group(1);
        if (requestedBy == null) requestedBy = e.actor();
      }
      if (e.step().equals("PLAN") || e.step().equals("FINDING")) {
        for (String f : e.detail().split(";\\s*")) if (!f.isBlank()) findings.add(f.strip());
      }
      if (e.decision() || e.step().equals("REQUEST")) decisions.add(e);
      learnAppNames(e, appNames);

      // The journal's signed digests are about the record, not a server: no timeline of their own.
      if (e.step().equals("AUDIT_DIGEST")) continue;
      // A step on several servers (an incident's remediation) shows in each server's lane.
      for (String target : e.target().split(",")) {
        byTarget.computeIfAbsent(target.strip(), t -> new ArrayList<>()).add(e);
      }
      if (e.target().equals(DIRECTORY) || e.target().isBlank()) continue;
      // The server's state as the journal last saw it.
      Map<String, String> state = current.computeIfAbsent(e.target(), t -> new LinkedHashMap<>());
      Map<String, String> facts = e.after().containsKey("identityType") ? e.after() : e.before();
      if (facts.containsKey("identityType") || facts.containsKey("machineId")) {
        for (String k : List.of("identityType", "applicationId", "machineId", "syncCycleEnabled")) {
          if (facts.containsKey(k)) state.put(k, facts.get(k));
        }
        if ("ServiceAccount".equals(facts.get("identityType"))) state.remove("applicationId");
        first.putIfAbsent(e.target(), new LinkedHashMap<>(state));
      }
      if (e.step().equals("SYNC_PAUSED")) {
        // The run's own record of a paused window: the truth where the journal has it.
        recordedPauses
            .computeIfAbsent(e.target(), t -> new ArrayList<>())
            .add(new long[] {e.startedAt(), e.endedAt()});
      }
      boolean changed = !e.outcome().equals("FAILED") && !e.outcome().equals("SKIPPED");
      List<long[]> windows = paused.computeIfAbsent(e.target(), t -> new ArrayList<>());
      if (e.step().equals("PAUSE_SCHEDULER") && changed) {
        state.put("syncCycleEnabled", "false");
        if (windows.isEmpty() || windows.get(windows.size() - 1)[1] >= 0) {
          windows.add(new long[] {e.endedAt(), -1});
        }
      } else if (e.step().equals("RESUME_SCHEDULER") && changed) {
        state.put("syncCycleEnabled", "true");
        if (!windows.isEmpty() && windows.get(windows.size() - 1)[1] < 0) {
          windows.get(windows.size() - 1)[1] = e.endedAt();
        }
      }
    }

    recordedPauses.forEach(
        (target, windows) -> {
          List<long[]> merged = new ArrayList<>(windows);
          paused.getOrDefault(target, List.of()).stream()
              .filter(w -> w[1] < 0)
              .forEach(merged::add);
          paused.put(target, merged);
        });
    List<Lane> lanes = new ArrayList<>();
    byTarget.forEach(
        (target, list) ->
            lanes.add(new Lane(target, List.copyOf(list), paused.getOrDefault(target, List.of()))));
    List<ServerStates> states = new ArrayList<>();
    for (String server : current.keySet()) {
      if (!first.containsKey(server)) continue;
      states.add(
          new ServerStates(
              server, state(first.get(server), appNames), state(current.get(server), appNames)));
    }

    String outcome = knownOutcome != null ? knownOutcome : outcomeOf(all);
    if (all.isEmpty()) start = end = 0;
    return new RunReport(
        runId != null ? runId : all.isEmpty() ? "" : runIdOf(all),
        tenant,
        requestedBy,
        outcome,
        outcomeDetail(all, outcome),
        start,
        end,
        List.copyOf(lanes),
        List.copyOf(states),
        List.copyOf(new LinkedHashSet<>(findings)),
        List.copyOf(decisions),
        all,
        retries,
        compensations,
        verification);
  }

  /** The servers' lanes, without the directory's. */
  public List<Lane> serverLanes() {
    return lanes.stream().filter(l -> !l.target().equals(DIRECTORY)).toList();
  }

  private static String runIdOf(List<Entry> entries) {
    return entries.get(0).other().getOrDefault("runId", "");
  }

  /** Derives the outcome from what the journal shows, for an export or a run still going. */
  static String outcomeOf(List<Entry> entries) {
    boolean compensated = false;
    boolean failed = false;
    boolean finished = false;
    boolean dryRun = false;
    boolean planned = false;
    for (Entry e : entries) {
      if (e.step().equals("REQUEST") && e.detail().contains("dry run")) dryRun = true;
      if (e.step().equals("PLAN")) planned = true;
      if (e.step().equals("FINAL_VERIFICATION")) {
        finished = true;
        failed |= e.outcome().equals("FAILED");
      }
      if (e.step().equals("RESULT")) finished = true;
      if (e.compensation()) compensated = true;
      if (Set.of("FAILED", "REJECTED", "TIMED_OUT").contains(e.outcome())) failed = true;
    }
    if (compensated) return "COMPENSATED";
    if (failed) return "FAILED";
    if (finished) return "SUCCEEDED";
    if (dryRun && planned) return "DRY_RUN";
    return "RUNNING";
  }

  private static String outcomeDetail(List<Entry> entries, String outcome) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (outcome.equals("SUCCEEDED") && e.step().equals("FINAL_VERIFICATION")) return e.detail();
      if (!outcome.equals("SUCCEEDED")
          && Set.of("FAILED", "REJECTED", "TIMED_OUT").contains(e.outcome())) {
        return e.step() + " on " + e.target() + ": " + e.detail();
      }
    }
    return entries.isEmpty() ? "the journal is empty" : entries.get(entries.size() - 1).detail();
  }

  private static ServerState state(Map<String, String> facts, Map<String, String> appNames) {
    String appId = facts.get("applicationId");
    String scheduler = facts.get("syncCycleEnabled");
    return new ServerState(
        facts.get("identityType"),
        appId,
        appId == null ? null : appNames.get(appId.toLowerCase(Locale.ROOT)),
        facts.get("machineId"),
        scheduler == null ? null : Boolean.parseBoolean(scheduler) ? "enabled" : "paused");
  }

  /** App display names wherever the journal pairs one with an app id. */
  private static void learnAppNames(Entry e, Map<String, String> names) {
    for (Map<String, String> facts : List.of(e.before(), e.after())) {
      Matcher m = APP_LIST.matcher(facts.getOrDefault("applications", ""));
      while (m.find()) names.put(m.group(2).toLowerCase(Locale.ROOT), m.group(1));
      String appId = facts.getOrDefault("applicationId", facts.get("appId"));
      String name = facts.getOrDefault("displayName", facts.get("applicationName"));
      if (appId != null && name != null) names.put(appId.toLowerCase(Locale.ROOT), name);
      facts.forEach(
          (k, v) -> {
            // The deletion records each app as "<displayName>": "<appId> live|deleted ...".
            if (k.startsWith("ConnectSyncProvisioning_") && v.length() >= 36) {
              names.putIfAbsent(v.substring(0, 36).toLowerCase(Locale.ROOT), k);
            }
          });
    }
  }
}
