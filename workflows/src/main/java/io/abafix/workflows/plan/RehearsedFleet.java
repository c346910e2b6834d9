package io.abafix.workflows.plan;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a rehearsal ran against, kept so that the real run can prove it meets the same fleet: the
 * plan's digest, and the facts that digest rests on (each server's machine id, identity and
 * certificate, each provisioning app's ids and keys). A real run started with it computes its own
 * and refuses, changing nothing, on any difference, naming it.
 */
public record RehearsedFleet(
    String planDigest, List<ServerFacts> servers, List<ApplicationFacts> applications) {

  public RehearsedFleet {
    servers = servers == null ? List.of() : List.copyOf(servers);
    applications = applications == null ? List.of() : List.copyOf(applications);
  }

  /** One server's identity-bearing facts. */
  public record ServerFacts(
      String name,
      String machineId,
      String identityType,
      String applicationId,
      String serviceAccountName,
      String certificateId) {}

  /** One provisioning app: its ids, name and the thumbprints of its keys, sorted. */
  public record ApplicationFacts(
      String id, String appId, String displayName, List<String> keyThumbprints) {
    public ApplicationFacts {
      keyThumbprints = keyThumbprints == null ? List.of() : List.copyOf(keyThumbprints);
    }
  }

  /** The facts of a fleet as preflight (or a capture) reads it. */
  public static RehearsedFleet of(
      String planDigest, List<ServerState> servers, List<AppRegistration> applications) {
    List<ServerFacts> s = new ArrayList<>();
    for (ServerState st : servers) {
      s.add(
          new ServerFacts(
              st.server(),
              st.machineId(),
              String.valueOf(st.identityType()),
              st.applicationId(),
              st.serviceAccountName(),
              st.certificateId()));
    }
    List<ApplicationFacts> a = new ArrayList<>();
    for (AppRegistration app : applications) {
      TreeSet<String> keys = new TreeSet<>();
      for (KeyCredential k : app.keyCredentials()) {
        if (k.thumbprint() != null) keys.add(k.thumbprint().toUpperCase(java.util.Locale.ROOT));
      }
      a.add(new ApplicationFacts(app.id(), app.appId(), app.displayName(), List.copyOf(keys)));
    }
    return new RehearsedFleet(planDigest, s, a);
  }

  /**
   * How {@code now} differs from this rehearsal, one line per difference (empty when it is the same
   * fleet with the same plan).
   */
  public List<String> differences(RehearsedFleet now) {
    List<String> out = new ArrayList<>();
    Map<String, ServerFacts> before = byName(servers);
    Map<String, ServerFacts> after = byName(now.servers);
    for (String name : before.keySet()) {
      if (!after.containsKey(name))
        out.add("server " + name + " was rehearsed but is not in the run");
    }
    for (String name : after.keySet()) {
      if (!before.containsKey(name))
        out.add("server " + name + " is in the run but was not rehearsed");
    }
    for (Map.Entry<String, ServerFacts> e : before.entrySet()) {
      ServerFacts b = e.getValue();
      ServerFacts n = after.get(e.getKey());
      if (n == null) continue;
      changed(out, e.getKey() + " machine id", b.machineId(), n.machineId());
      changed(out, e.getKey() + " identity", b.identityType(), n.identityType());
      changed(out, e.getKey() + " app id", b.applicationId(), n.applicationId());
      changed(out, e.getKey() + " service account", b.serviceAccountName(), n.serviceAccountName());
      changed(out, e.getKey() + " certificate", b.certificateId(), n.certificateId());
    }
    Map<String, ApplicationFacts> appsBefore = byId(applications);
    Map<String, ApplicationFacts> appsAfter = byId(now.applications);
    for (ApplicationFacts b : appsBefore.values()) {
      ApplicationFacts n = appsAfter.get(b.id());
      if (n == null) {
        out.add("app " + b.displayName() + " (" + b.appId() + ") is gone");
        continue;
      }
      changed(out, "app " + b.displayName() + " app id", b.appId(), n.appId());
      changed(out, "app " + b.id() + " name", b.displayName(), n.displayName());
      changed(
          out,
          "app " + b.displayName() + " keys",
          String.join(",", b.keyThumbprints()),
          String.join(",", n.keyThumbprints()));
    }
    for (ApplicationFacts n : appsAfter.values()) {
      if (!appsBefore.containsKey(n.id())) {
        out.add("app " + n.displayName() + " (" + n.appId() + ") is new");
      }
    }
    if (out.isEmpty() && !Objects.equals(planDigest, now.planDigest)) {
      out.add(
          "the plan differs though the fleet is the same (digest "
              + abbreviate(planDigest)
              + " rehearsed, "
              + abbreviate(now.planDigest)
              + " now): the rehearsal ran with other operator steps, another abafix version, or a"
              + " lab copy that differs from the fleet");
    }
    return out;
  }

  private static void changed(List<String> out, String what, String before, String now) {
    if (!Objects.equals(before, now)) {
      out.add(what + " was " + show(before) + " when rehearsed, is " + show(now) + " now");
    }
  }

  private static String show(String v) {
    return v == null || v.isEmpty() ? "(none)" : v;
  }

  private static String abbreviate(String digest) {
    return digest == null ? "(none)" : digest.substring(0, Math.min(12, digest.length()));
  }

  private static Map<String, ServerFacts> byName(List<ServerFacts> list) {
    Map<String, ServerFacts> m = new LinkedHashMap<>();
    for (ServerFacts f : list) m.put(f.name().toUpperCase(java.util.Locale.ROOT), f);
    return m;
  }

  private static Map<String, ApplicationFacts> byId(List<ApplicationFacts> list) {
    Map<String, ApplicationFacts> m = new LinkedHashMap<>();
    for (ApplicationFacts f : list) m.put(f.id(), f);
    return m;
  }
}
