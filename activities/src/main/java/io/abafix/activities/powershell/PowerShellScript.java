package io.abafix.activities.powershell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The PowerShell scripts shipped in this jar, one per server operation. Each reads one JSON object
 * on stdin and writes one JSON object on stdout (see {@link PowerShellSyncServerHost} for the
 * contract). Every script dot-sources {@link #COMMON_FILE} from its own folder.
 */
public enum PowerShellScript {
  /** Reads the server's state; changes nothing. */
  GET_SERVER_STATE("Get-AbafixServerState.ps1", Duration.ofMinutes(2)),
  /** Pauses or resumes the sync scheduler. */
  SET_SYNC_CYCLE("Set-AbafixSyncCycle.ps1", Duration.ofMinutes(1)),
  /** Reverts the Entra connector to a service account. */
  REVERT_TO_SERVICE_ACCOUNT("Invoke-AbafixRevertToServiceAccount.ps1", Duration.ofMinutes(5)),
  /** Proves the revert's credential file exists and decrypts here; changes nothing. */
  TEST_CREDENTIAL_FILE("Test-AbafixCredentialFile.ps1", Duration.ofMinutes(1)),
  /** Proves the connector signs in: a Delta Import run of the Entra connector. */
  TEST_CONNECTOR_AUTHENTICATION("Test-AbafixConnectorAuthentication.ps1", Duration.ofMinutes(10)),
  /** Replaces the SyncMachineIdentifier, stopping and starting ADSync around it. */
  SET_MACHINE_IDENTIFIER("Set-AbafixMachineIdentifier.ps1", Duration.ofMinutes(5)),
  /** Rotates the application certificate. */
  ROTATE_CERTIFICATE("Invoke-AbafixCertificateRotation.ps1", Duration.ofMinutes(10)),
  /** Configures ABA with a new app registration of the server's own. */
  CONFIGURE_APPLICATION_AUTHENTICATION(
      "Invoke-AbafixConfigureApplicationAuthentication.ps1", Duration.ofMinutes(10)),
  /** Reads Directory Synchronization entries of the Application event log. */
  GET_EVENTS("Get-AbafixEvents.ps1", Duration.ofMinutes(2)),
  /** Restores blank ABA connector parameters with ADSyncTools. */
  REPAIR_CONNECTOR_PARAMETERS("Repair-AbafixConnectorParameters.ps1", Duration.ofMinutes(10)),
  /** Installs or updates ADSyncTools from the PowerShell Gallery or a pre-staged module folder. */
  INSTALL_AD_SYNC_TOOLS("Install-AbafixAdSyncTools.ps1", Duration.ofMinutes(15));

  /** The scripts that change nothing, which the capture runs. */
  public static List<PowerShellScript> readOnly() {
    return List.of(GET_SERVER_STATE, GET_EVENTS);
  }

  /** The helper every script dot-sources; shipped and extracted with them. */
  public static final String COMMON_FILE = "AbafixCommon.ps1";

  /** The classpath folder that holds the scripts. */
  public static final String RESOURCE_FOLDER = "/io/abafix/activities/powershell/";

  private final String fileName;
  private final Duration defaultTimeout;

  PowerShellScript(String fileName, Duration defaultTimeout) {
    this.fileName = fileName;
    this.defaultTimeout = defaultTimeout;
  }

  /** The script's file name, e.g. {@code Get-AbafixServerState.ps1}. */
  public String fileName() {
    return fileName;
  }

  /** How long the script may run before its process tree is killed. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /** The script's classpath resource path. */
  public String resourcePath() {
    return RESOURCE_FOLDER + fileName;
  }

  /** Every file that must be present next to the scripts: the scripts and their helper. */
  public static List<String> shippedFiles() {
    List<String> files = new ArrayList<>();
    for (PowerShellScript s : values()) files.add(s.fileName);
    files.add(COMMON_FILE);
    return List.copyOf(files);
  }

  /** Whether {@code fileName} is shipped in this jar. */
  public static boolean isShipped(String fileName) {
    return PowerShellScript.class.getResource(RESOURCE_FOLDER + fileName) != null;
  }

  /**
   * The bytes of a shipped file.
   *
   * @throws IllegalStateException when the jar does not hold it (a packaging defect)
   */
  public static byte[] readShipped(String fileName) {
    try (InputStream in = PowerShellScript.class.getResourceAsStream(RESOURCE_FOLDER + fileName)) {
      if (in == null) {
        throw new IllegalStateException(
            "the jar does not contain " + RESOURCE_FOLDER + fileName + ": rebuild the package");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + fileName + " from the jar", e);
    }
  }
}
