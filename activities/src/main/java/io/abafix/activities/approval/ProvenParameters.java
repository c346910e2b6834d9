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

  private ProvenParameters() {}

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
