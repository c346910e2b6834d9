package io.abafix.workflows.plan;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.KeyCredential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 digests that bind a decision to what it decides, in one place: of a plan, of one gate
 * (the plan's digest, the gate and the exact parameters its step will act on), and of any list of
 * lines (an incident's proposal). An approval names the digest it saw; a gate whose parameters
 * changed has another digest, so an old approval cannot settle it.
 *
 * <p>The canonical form is plain text, one field per line as {@code name=value}, in a fixed order
 * (maps sorted by key), with {@code \} and line breaks escaped, so the digest does not depend on a
 * JSON library's field order or on the platform. Lower-case hexadecimal.
 */
public final class PlanDigest {
  private PlanDigest() {}

  /** The plan's digest: every field that says what the run will do. */
  public static String of(Plan plan) {
    Canonical c = new Canonical();
    c.put("tenant", plan.tenant());
    c.put("workingServer", plan.workingServer());
    c.put("brokenServers", String.join(",", plan.brokenServers()));
    c.put("regenerateMachineId", String.join(",", plan.regenerateMachineId()));
    for (AppRegistration a : plan.applicationsToDelete()) {
      StringBuilder keys = new StringBuilder();
      for (KeyCredential k : a.keyCredentials()) keys.append(k.thumbprint()).append(',');
      c.put("delete", a.id() + "|" + a.appId() + "|" + a.displayName() + "|" + keys);
    }
    for (PlannedStep s : plan.steps()) {
      c.put(
          "step",
          s.order()
              + "|"
              + s.phase()
              + "|"
              + s.step()
              + "|"
              + s.target()
              + "|"
              + s.executor()
              + "|"
              + s.destructive()
              + "|"
              + s.description());
    }
    for (String b : plan.blockers()) c.put("blocker", b);
    return c.digest();
  }

  /** One gate's digest: the plan's, the gate's name and the parameters of its step. */
  public static String ofGate(String planDigest, String gate, Map<String, String> parameters) {
    Canonical c = new Canonical();
    c.put("plan", planDigest);
    c.put("gate", gate);
    new TreeMap<>(parameters).forEach((k, v) -> c.put("parameter." + k, v));
    return c.digest();
  }

  /** The digest of lines in order, e.g. the workflows an incident proposes with their plans. */
  public static String ofLines(List<String> lines) {
    Canonical c = new Canonical();
    lines.forEach(l -> c.put("line", l));
    return c.digest();
  }

  /**
   * Whether {@code given} names {@code digest}: all of it, or a prefix of at least 12 characters.
   */
  public static boolean matches(String digest, String given) {
    if (digest == null || given == null) return false;
    String g = given.trim().toLowerCase(java.util.Locale.ROOT);
    return g.length() >= 12 && digest.startsWith(g);
  }

  private static final class Canonical {
    private final StringBuilder text = new StringBuilder();

    void put(String name, String value) {
      text.append(name).append('=').append(escape(value)).append('\n');
    }

    String digest() {
      try {
        byte[] hash =
            MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime has SHA-256", e);
      }
    }

    private static String escape(String v) {
      if (v == null) return "\\0";
      return v.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
    }
  }
}
