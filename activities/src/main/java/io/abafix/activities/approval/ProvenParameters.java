package io.abafix.activities.approval;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The parameter names a decision binds, one per destructive operation, each with the values that
 * operation may act on, comma-separated (server names and object ids hold no comma). A worker
 * refuses a step whose own arguments are not among them.
 */
public final class ProvenParameters {
  /** Servers whose connector may be reverted to a service account. */
  public static final String REVERT_TO_SERVICE_ACCOUNT = "revertToServiceAccount";

  /** Servers whose machine id may be regenerated. */
  public static final String REGENERATE_MACHINE_ID = "regenerateMachineId";

  /** Object ids of the app registrations that may be deleted. */
  public static final String DELETE_APPLICATION = "deleteApplication";

  /** Servers on which an ADSyncTools module may be installed, and from which source. */
  public static final String INSTALL_AD_SYNC_TOOLS = "installAdSyncTools";

  /**
   * The plan's changing steps that are not destructive (pause, resume, rotation, ABA
   * configuration), each {@code STEP@TARGET}: listed in every gate's parameters, so any approval of
   * the plan authorises them, and only them.
   */
  public static final String CHANGES = "changes";

  /** The app ids a server's new ABA configuration retires (the shared apps being deleted). */
  public static final String RETIRED_APP_IDS = "retiredAppIds";

  /** The apps a deletion may act on, each {@code objectId=appId}. */
  public static final String APPLICATION_IDS = "applicationIds";

  /** The lists every gate carries for the whole plan; a PLAN decision merges them. */
  public static final List<String> PLAN_WIDE = List.of(CHANGES, RETIRED_APP_IDS);

  /** Step names as the workers see them; the same as the plan's step names. */
  public static final String PAUSE_SCHEDULER = "PAUSE_SCHEDULER";

  public static final String RESUME_SCHEDULER = "RESUME_SCHEDULER";
  public static final String ROTATE_CERTIFICATE = "ROTATE_CERTIFICATE";
  public static final String CONFIGURE_ABA = "CONFIGURE_ABA";
  public static final String REVERT_STEP = "REVERT_TO_SERVICE_ACCOUNT";
  public static final String REGENERATE_STEP = "REGENERATE_MACHINE_ID";
  public static final String DELETE_STEP = "DELETE_APPLICATIONS";
  public static final String INSTALL_STEP = "INSTALL_AD_SYNC_TOOLS";
  public static final String REPAIR_STEP = "REPAIR_PARAMETERS";

  /** The steps an approval's {@link #CHANGES} list may authorise; the others need their gate. */
  public static final List<String> NON_DESTRUCTIVE =
      List.of(PAUSE_SCHEDULER, RESUME_SCHEDULER, ROTATE_CERTIFICATE, CONFIGURE_ABA);

  /** The target of the directory's steps. */
  public static final String DIRECTORY = "directory";

  /** The separator between a gate and its parameter's name in a PLAN decision's parameters. */
  public static final String GATE_SEPARATOR = "/";

  private ProvenParameters() {}

  /** A step's key, as gates name it: {@code STEP@TARGET}. */
  public static String step(String step, String target) {
    return step.toUpperCase(Locale.ROOT) + "@" + target;
  }

  /**
   * The exact parameters a decision binds for one step ({@code STEP@TARGET}), or null when it does
   * not authorise that step: a gate's own decision binds its parameters; a PLAN decision binds each
   * gate's, under {@code gate/name}; and any of them lists the plan's non-destructive changes.
   */
  public static Map<String, String> forStep(DecisionBinding binding, String stepKey) {
    String want = stepKey.toUpperCase(Locale.ROOT);
    Map<String, String> p = binding.parameters();
    if (binding.gate().toUpperCase(Locale.ROOT).equals(want)) return p;
    String prefix = want + GATE_SEPARATOR;
    Map<String, String> bound = new java.util.TreeMap<>();
    p.forEach(
        (k, v) -> {
          if (k.toUpperCase(Locale.ROOT).startsWith(prefix)) {
            bound.put(k.substring(prefix.length()), v);
          }
        });
    if (!bound.isEmpty()) return bound;
    String step = want.contains("@") ? want.substring(0, want.indexOf('@')) : want;
    if (NON_DESTRUCTIVE.contains(step) && covers(p, CHANGES, stepKey)) {
      Map<String, String> plan = new java.util.TreeMap<>();
      for (String name : PLAN_WIDE) if (p.containsKey(name)) plan.put(name, p.get(name));
      return plan;
    }
    return null;
  }

  /** Whether {@code parameters[name]} holds {@code value} (compared without case). */
  public static boolean covers(Map<String, String> parameters, String name, String value) {
    if (value == null) return false;
    return values(parameters, name).stream()
        .anyMatch(v -> v.toUpperCase(Locale.ROOT).equals(value.toUpperCase(Locale.ROOT)));
  }

  /** The values of one list, in order; empty when there is none. */
  public static List<String> values(Map<String, String> parameters, String name) {
    String joined = parameters.get(name);
    if (joined == null || joined.isBlank()) return List.of();
    return Arrays.stream(joined.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  /** A list's value: sorted, comma-separated. */
  public static String list(Collection<String> values) {
    return String.join(",", values.stream().sorted().toList());
  }
}
