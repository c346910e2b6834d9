package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.ScenarioException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a lab scenario named on the command line: a file, or a shipped scenario's name. */
final class ScenarioLoader {
  private ScenarioLoader() {}

  static Lab load(String scenario) {
    Path file = Path.of(scenario);
    try {
      if (Files.isRegularFile(file)) return Lab.loadFile(file, System::currentTimeMillis);
      if (Lab.listScenarioResources().contains(scenario)) {
        return Lab.loadResource(scenario, System::currentTimeMillis);
      }
    } catch (ScenarioException e) {
      throw new UserError(e.getMessage()); // Already one line that names the scenario.
    } catch (IllegalArgumentException e) {
      throw new UserError("scenario " + scenario + ": " + e.getMessage());
    }
    throw new UserError(
        "no scenario file "
            + scenario
            + ", and no shipped scenario of that name (shipped: "
            + String.join(", ", Lab.listScenarioResources())
            + ")");
  }
}
