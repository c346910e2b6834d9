package io.abafix.activities.powershell;

import java.time.Duration;

/**
 * Runs one shipped PowerShell script with one JSON object on its standard input. The production
 * implementation starts a process ({@link ProcessPowerShellRunner}); the lab has a fake that
 * answers as the scripts would.
 *
 * <p>Implementations never put anything but the script's path on the command line: the input
 * travels only on stdin, so it is data and is never parsed as PowerShell.
 */
public interface PowerShellRunner {

  /**
   * Runs {@code script}, writes {@code stdinJson} to its standard input and closes it, and waits at
   * most {@code timeout} for it to exit.
   *
   * @return the exit code and both output streams; a non-zero exit is a result, not an exception
   * @throws PowerShellRunException when the script could not be started, did not finish within
   *     {@code timeout} (its whole process tree is then killed), or the wait was interrupted
   */
  PowerShellResult run(PowerShellScript script, String stdinJson, Duration timeout);
}
