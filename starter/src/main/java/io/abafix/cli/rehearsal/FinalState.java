package io.abafix.cli.rehearsal;

import io.abafix.lab.LabSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fleet's state after a run, as a rehearsal predicts it: what the real run makes new (a machine
 * id, an app registration) is chosen when it runs, so it is shown as new rather than by value;
 * everything else is the value itself. A rehearsal and the real run of the same fleet end in the
 * same lines.
 */
public final class FinalState {
  private FinalState() {}

  /**
   * @param before each server's machine id and each live app's id before the run
   */
  public static List<String> lines(
      LabSnapshot end, Map<String, String> before, List<String> appsBefore) {
    List<String> out = new ArrayList<>();
    for (LabSnapshot.Server s : end.servers()) {
      String was = before.get(s.name());
      String machine = s.machineId().equals(was) ? "machine id " + s.machineId() : "machine id new";
      String identity;
      if (s.applicationId() == null) {
        identity = "account " + s.serviceAccountName();
      } else {
        LabSnapshot.Application app =
            end.applications().stream()
                .filter(a -> a.appId().equalsIgnoreCase(s.applicationId()))
                .findFirst()
                .orElse(null);
        identity =
            app == null
                ? "app " + s.applicationId() + " (not live)"
                : appsBefore.contains(app.id())
                    ? "app " + app.displayName()
                    : "new app " + name(app.displayName(), s);
      }
      out.add(
          String.format(
              "%-10s %-15s %s, %s, scheduler %s, %s",
              s.name(),
              s.identityType(),
              identity,
              machine,
              s.syncCycleEnabled() ? "enabled" : "PAUSED",
              s.authenticates() ? "signs in" : "DOES NOT SIGN IN"));
    }
    long kept = end.applications().stream().filter(a -> appsBefore.contains(a.id())).count();
    out.add(
        "apps: "
            + end.applications().size()
            + " live ("
            + kept
            + " from before, "
            + (end.applications().size() - kept)
            + " new), "
            + end.deletedApplicationIds().size()
            + " in deleted items");
    return out;
  }

  /** The app's name with the server's machine-id prefix shown as such. */
  private static String name(String displayName, LabSnapshot.Server s) {
    String prefix = s.machineId().substring(0, Math.min(12, s.machineId().length()));
    return displayName.replace(prefix, "<first 12 of its machine id>");
  }
}
