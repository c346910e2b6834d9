package io.abafix.activities.internal;

import io.abafix.activities.model.ServerState;
import java.util.LinkedHashMap;
import java.util.Map;

/** The before/after facts of a server that the audit records. Never holds secrets. */
public final class Facts {
  private Facts() {}

  public static Map<String, String> of(ServerState s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("identityType", String.valueOf(s.identityType()));
    if (s.applicationId() != null) m.put("applicationId", s.applicationId());
    if (s.serviceAccountName() != null) m.put("serviceAccount", s.serviceAccountName());
    m.put("machineId", s.machineId());
    m.put("syncCycleEnabled", String.valueOf(s.syncCycleEnabled()));
    m.put("adSyncRunning", String.valueOf(s.adSyncRunning()));
    if (s.certificateId() != null) m.put("certificate", s.certificateId());
    return m;
  }

  /** {@link #of} plus the ABA parameters and the ADSyncTools version, for the parameter repair. */
  public static Map<String, String> withParameters(ServerState s) {
    Map<String, String> m = of(s);
    m.put("version", String.valueOf(s.version()));
    m.put("adSyncToolsVersion", String.valueOf(s.adSyncToolsVersion()));
    var p = s.abaParameters();
    m.put("applicationManagedBy", p == null ? null : p.applicationManagedBy());
    m.put("certificateManagedBy", p == null ? null : p.certificateManagedBy());
    m.put("certificateId", p == null ? null : p.certificateId());
    return m;
  }
}
