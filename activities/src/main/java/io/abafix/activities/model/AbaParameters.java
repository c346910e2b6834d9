package io.abafix.activities.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The Entra connector's ABA connectivity parameters. Saving the connector in Synchronization
 * Service Manager blanks them; {@code Repair-ADSyncToolsEntraAppParameters} restores them.
 */
public record AbaParameters(
    String applicationManagedBy, String certificateManagedBy, String certificateId) {

  /** Names of the parameters that are blank, in the documented order. */
  public List<String> blankNames() {
    List<String> blank = new ArrayList<>();
    if (isBlank(applicationManagedBy)) blank.add("ApplicationManagedBy");
    if (isBlank(certificateManagedBy)) blank.add("CertificateManagedBy");
    if (isBlank(certificateId)) blank.add("CertificateId");
    return blank;
  }

  public boolean complete() {
    return blankNames().isEmpty();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
