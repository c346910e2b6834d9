package io.abafix.activities;

import io.abafix.activities.powershell.PowerShellScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How long each server step may take on a real server: the timeouts of the scripts it runs, in
 * order (an inspection before, the action, an inspection after). The workflows set every step's
 * StartToClose timeout from this, so that Temporal never gives an attempt up while its script may
 * still be running within its own timeout.
 */
public final class StepBudgets {
  /** Time for the worker itself around the scripts: JSON, the mutex, a slow process start. */
  public static final Duration MARGIN = Duration.ofMinutes(1);

  private static final PowerShellScript INSPECT = PowerShellScript.GET_SERVER_STATE;

  /** The scripts each {@link SyncServerActivities} method runs, at most, in one attempt. */
  private static final Map<String, List<PowerShellScript>> SCRIPTS =
      Map.ofEntries(
          Map.entry("inspectServer", List.of(INSPECT)),
          Map.entry("captureServer", PowerShellScript.readOnly()),
          Map.entry("pauseScheduler", List.of(INSPECT, PowerShellScript.SET_SYNC_CYCLE, INSPECT)),
          Map.entry("resumeScheduler", List.of(INSPECT, PowerShellScript.SET_SYNC_CYCLE, INSPECT)),
          Map.entry(
              "revertToServiceAccount",
              List.of(INSPECT, PowerShellScript.REVERT_TO_SERVICE_ACCOUNT, INSPECT)),
          Map.entry(
              "testConnectorAuthentication",
              List.of(PowerShellScript.TEST_CONNECTOR_AUTHENTICATION)),
          Map.entry(
              "regenerateMachineId",
              List.of(INSPECT, PowerShellScript.SET_MACHINE_IDENTIFIER, INSPECT)),
          Map.entry(
              "rotateApplicationCertificate",
              List.of(INSPECT, PowerShellScript.ROTATE_CERTIFICATE, INSPECT)),
          Map.entry(
              "configureApplicationAuthentication",
              List.of(INSPECT, PowerShellScript.CONFIGURE_APPLICATION_AUTHENTICATION, INSPECT)),
          Map.entry("readEvents", List.of(PowerShellScript.GET_EVENTS)),
          Map.entry("checkCredential", List.of(PowerShellScript.TEST_CREDENTIAL_FILE)),
          Map.entry(
              "installAdSyncTools",
              List.of(INSPECT, PowerShellScript.INSTALL_AD_SYNC_TOOLS, INSPECT)),
          Map.entry(
              "repairConnectorParameters",
              List.of(INSPECT, PowerShellScript.REPAIR_CONNECTOR_PARAMETERS, INSPECT)),
          Map.entry("awaitSignIn", List.of(PowerShellScript.TEST_CONNECTOR_AUTHENTICATION)),
          Map.entry("awaitSyncCycleEnd", List.of(INSPECT)));

  private StepBudgets() {}

  /** The scripts' timeouts added up, plus {@link #MARGIN}. */
  public static Duration startToClose(String method) {
    List<PowerShellScript> scripts = SCRIPTS.get(method);
    if (scripts == null) throw new IllegalArgumentException("no budget for step " + method);
    Duration total = MARGIN;
    for (PowerShellScript s : scripts) total = total.plus(s.defaultTimeout());
    return total;
  }

  /** Every method with a budget. */
  public static java.util.Set<String> methods() {
    return SCRIPTS.keySet();
  }

  /** Whether the method changes the server (and so must never be cut off half way). */
  public static boolean changes(String method) {
    List<PowerShellScript> scripts = SCRIPTS.get(method);
    return scripts != null && scripts.size() == 3;
  }
}
