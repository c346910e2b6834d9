package io.abafix.cli.rehearsal;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How long things take in a rehearsal. The propagation of a new service account is Microsoft's
 * documented bound (up to 15 minutes) and is waited out in full on skipped time; each server and
 * Graph step takes its typical length below, served at {@code 1/scale} in real time so that a
 * rehearsal runs in seconds, and added back at full length when the sync-paused windows are
 * predicted.
 */
public final class RehearsalTiming {
  /** "It can take up to 15 minutes for the new service account to propagate" (Microsoft). */
  public static final Duration PROPAGATION = Duration.ofMinutes(15);

  /** The default scale: a step of 60 s runs for 120 ms. */
  public static final int DEFAULT_SCALE = 500;

  /**
   * The typical length of each port method, in seconds: loading the ADSync module and reading the
   * state; a scheduler change; the revert (Add-ADSyncAADServiceAccount signs in to Entra ID);
   * stopping ADSync, writing the registry and starting ADSync again; rotation and ABA configuration
   * (a key upload and an app registration); reading the event log; and one Graph call each.
   */
  public static final Map<String, Long> STEP_SECONDS = steps();

  private static Map<String, Long> steps() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("inspect", 5L);
    m.put("setSyncCycleEnabled", 3L);
    m.put("revertToServiceAccount", 30L);
    m.put("testConnectorAuthentication", 20L);
    m.put("setMachineIdentifier", 90L);
    m.put("rotateApplicationCertificate", 45L);
    m.put("configureApplicationAuthentication", 60L);
    m.put("readEvents", 3L);
    for (String graph :
        new String[] {
          "listApplications",
          "getApplication",
          "getDeletedApplication",
          "deleteApplication",
          "restoreApplication",
          "servicePrincipalExists",
          "createServicePrincipal",
          "isGlobalAdministrator"
        }) {
      m.put(graph, 1L);
    }
    return Map.copyOf(m);
  }

  /**
   * Sign-in proofs are not added back: during a propagation wait they overlap the wait itself,
   * which already runs at full length.
   */
  public static boolean addedBack(String step) {
    return !step.equals("testConnectorAuthentication");
  }

  private RehearsalTiming() {}

  /** The real sleep per port method at this scale, in milliseconds. */
  public static Map<String, Long> latencyMillis(int scale) {
    Map<String, Long> m = new LinkedHashMap<>();
    STEP_SECONDS.forEach((step, seconds) -> m.put(step, Math.max(1, seconds * 1000 / scale)));
    return m;
  }
}
