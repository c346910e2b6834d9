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
   * One step's typical length and what it rests on. Microsoft publishes no step lengths: each is an
   * estimate from what the step does, to be replaced by a capture's (abafix capture records each
   * script's duration).
   */
  public record StepLength(String step, long seconds, String basis) {}

  /**
   * The one table of typical step lengths, used by the rehearsal's prediction, the demo's "in a
   * real run" lines and the sync-paused benchmark alike.
   */
  public static final java.util.List<StepLength> STEPS =
      java.util.List.of(
          new StepLength("inspect", 5, "estimate: load the ADSync module and run the read cmdlets"),
          new StepLength("setSyncCycleEnabled", 3, "estimate: one Set-ADSyncScheduler call"),
          new StepLength(
              "revertToServiceAccount",
              30,
              "estimate: Add-ADSyncAADServiceAccount creates the account, signing in to Entra ID"),
          new StepLength(
              "testConnectorAuthentication", 20, "estimate: a Delta Import of the Entra connector"),
          new StepLength(
              "setMachineIdentifier",
              90,
              "estimate: stop ADSync, write the registry value, start ADSync"),
          new StepLength(
              "rotateApplicationCertificate",
              45,
              "estimate: a new key uploaded to the app and the connector updated"),
          new StepLength(
              "configureApplicationAuthentication",
              60,
              "estimate: an app registration, its service principal and key, the connector"),
          new StepLength("readEvents", 3, "estimate: one filtered Get-WinEvent"),
          new StepLength("listApplications", 1, "estimate: one Microsoft Graph call"),
          new StepLength("getApplication", 1, "estimate: one Microsoft Graph call"),
          new StepLength("getDeletedApplication", 1, "estimate: one Microsoft Graph call"),
          new StepLength("deleteApplication", 1, "estimate: one Microsoft Graph call"),
          new StepLength("restoreApplication", 1, "estimate: one Microsoft Graph call"),
          new StepLength("servicePrincipalExists", 1, "estimate: one Microsoft Graph call"),
          new StepLength("createServicePrincipal", 1, "estimate: one Microsoft Graph call"),
          new StepLength("isGlobalAdministrator", 1, "estimate: one Microsoft Graph call"));

  /** {@link #STEPS} by port method, in seconds. */
  public static final Map<String, Long> STEP_SECONDS = steps();

  private static Map<String, Long> steps() {
    Map<String, Long> m = new LinkedHashMap<>();
    STEPS.forEach(s -> m.put(s.step(), s.seconds()));
    return java.util.Collections.unmodifiableMap(m);
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
