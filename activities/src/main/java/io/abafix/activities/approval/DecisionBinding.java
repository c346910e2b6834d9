package io.abafix.activities.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one decision is about, as the approver signs it: the run (namespace, workflow id, run id),
 * the gate, the plan's digest, the exact parameters of the steps it authorises, and the decision.
 * Its {@link #nonce()} goes into the approver's Entra ID sign-in, so the ID token Entra ID signs is
 * good for this decision and no other.
 *
 * <p>Parameters are named values, e.g. {@code deleteApplication -> "objectId1,objectId2"} (see
 * {@link ProvenParameters}, whose lists are comma-separated). The canonical form sorts the keys, so
 * two parties that agree on the content agree on the nonce.
 */
public record DecisionBinding(
    String namespace,
    String workflowId,
    String runId,
    String gate,
    String planDigest,
    Map<String, String> parameters,
    String decision) {

  public static final String APPROVE = "APPROVE";
  public static final String REJECT = "REJECT";
  public static final String CONFIRM = "CONFIRM";

  /** The requester's own signed start of a run; the gate of such a binding. */
  public static final String START = "START";

  private static final ObjectMapper JSON = new ObjectMapper();

  public DecisionBinding {
    namespace = nullToEmpty(namespace);
    workflowId = nullToEmpty(workflowId);
    runId = nullToEmpty(runId);
    gate = nullToEmpty(gate);
    planDigest = nullToEmpty(planDigest);
    decision = nullToEmpty(decision).toUpperCase(Locale.ROOT);
    Map<String, String> sorted = new TreeMap<>();
    if (parameters != null) parameters.forEach((k, v) -> sorted.put(k, nullToEmpty(v)));
    parameters = java.util.Collections.unmodifiableMap(sorted);
  }

  /** The requester's start of a run: binds the run and nothing else. */
  public static DecisionBinding start(String namespace, String workflowId, String runId) {
    return new DecisionBinding(namespace, workflowId, runId, START, "", Map.of(), START);
  }

  /** A person's confirmation that they did the operator step {@code gate} of a run. */
  public static DecisionBinding confirm(
      String namespace, String workflowId, String runId, String gate) {
    return new DecisionBinding(namespace, workflowId, runId, gate, "", Map.of(), CONFIRM);
  }

  /**
   * The canonical JSON the nonce hashes: fixed key order, sorted parameters, no whitespace.
   * Namespace, workflow id and run id are in it, so a proof cannot move to another run.
   */
  public String canonicalJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", namespace);
    m.put("workflowId", workflowId);
    m.put("runId", runId);
    m.put("gate", gate);
    m.put("planDigest", planDigest);
    m.put("parameters", parameters);
    m.put("decision", decision);
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a decision binding", e);
    }
  }

  /** Lowercase hex SHA-256 of {@link #canonicalJson()}: the nonce of the approver's sign-in. */
  public String nonce() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(canonicalJson().getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The same decision for another run: what a worker computes from its own activity info. */
  public DecisionBinding forRun(String namespace, String workflowId, String runId) {
    return new DecisionBinding(
        namespace, workflowId, runId, gate, planDigest, parameters, decision);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
