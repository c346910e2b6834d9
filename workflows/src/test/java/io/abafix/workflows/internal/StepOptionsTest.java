package io.abafix.workflows.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.workflows.model.Timings;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StepOptionsTest {
  private static final Set<String> CHANGES =
      Set.of(
          "pauseScheduler",
          "resumeScheduler",
          "revertToServiceAccount",
          "regenerateMachineId",
          "rotateApplicationCertificate",
          "configureApplicationAuthentication",
          "installAdSyncTools",
          "repairConnectorParameters");

  @Test
  void every_server_step_may_run_as_long_as_its_scripts_and_changing_steps_are_never_abandoned() {
    Map<String, ActivityOptions> options =
        StepOptions.serverMethods(
            Route.tenant("contoso.onmicrosoft.com"), "SERVERA", Timings.standard());
    Duration inspect = PowerShellScript.GET_SERVER_STATE.defaultTimeout();
    for (Method m : SyncServerActivities.class.getDeclaredMethods()) {
      if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) continue;
      ActivityOptions o = options.get(StepOptions.activityType(m.getName()));
      assertNotNull(o, m.getName() + " has options of its own");
      Duration longestScript =
          java.util.Arrays.stream(PowerShellScript.values())
              .map(PowerShellScript::defaultTimeout)
              .filter(d -> CHANGES.contains(m.getName()))
              .max(Duration::compareTo)
              .orElse(Duration.ZERO);
      if (CHANGES.contains(m.getName())) {
        assertTrue(
            o.getStartToCloseTimeout().compareTo(inspect.multipliedBy(2)) > 0,
            m.getName() + ": " + o.getStartToCloseTimeout());
        assertEquals(
            ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
            o.getCancellationType(),
            m.getName());
      }
      assertTrue(longestScript.isZero() || o.getStartToCloseTimeout().compareTo(inspect) > 0);
    }
    assertTrue(
        options
                .get("RotateApplicationCertificate")
                .getStartToCloseTimeout()
                .compareTo(
                    PowerShellScript.ROTATE_CERTIFICATE
                        .defaultTimeout()
                        .plus(inspect.multipliedBy(2)))
            >= 0,
        "rotation: its script's ten minutes plus two inspections");
    assertTrue(
        options
                .get("InstallAdSyncTools")
                .getStartToCloseTimeout()
                .compareTo(
                    PowerShellScript.INSTALL_AD_SYNC_TOOLS
                        .defaultTimeout()
                        .plus(inspect.multipliedBy(2)))
            >= 0,
        "install: its script's fifteen minutes plus two inspections");
  }
}
