package io.abafix.workflows.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed digest as the facts of its journal record ({@code after}), and back: the journal holds
 * string facts only, and the export and {@code abafix audit verify} read them from there.
 */
public final class AuditRecords {
  private AuditRecords() {}

  public static Map<String, String> digestFacts(SignedDigest s) {
    AuditDigest d = s.digest();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("namespace", d.namespace());
    facts.put("workflowId", d.workflowId());
    facts.put("runId", d.runId());
    facts.put("firstSeq", Integer.toString(d.firstSeq()));
    facts.put("lastSeq", Integer.toString(d.lastSeq()));
    facts.put("count", Integer.toString(d.count()));
    facts.put("headHash", d.headHash());
    facts.put("previousDigest", d.previousDigest());
    facts.put("reason", d.reason());
    facts.put("closing", Boolean.toString(d.closing()));
    if (s.signature() != null) {
      facts.put("keyId", s.keyId());
      facts.put("algorithm", s.algorithm());
      facts.put("signature", s.signature());
    }
    return facts;
  }

  /**
   * The signed digest a digest record carries.
   *
   * @throws IllegalArgumentException when a field is missing or malformed
   */
  public static SignedDigest signedDigest(Map<String, String> facts) {
    try {
      AuditDigest d =
          new AuditDigest(
              required(facts, "namespace"),
              required(facts, "workflowId"),
              required(facts, "runId"),
              Integer.parseInt(required(facts, "firstSeq")),
              Integer.parseInt(required(facts, "lastSeq")),
              Integer.parseInt(required(facts, "count")),
              required(facts, "headHash"),
              required(facts, "previousDigest"),
              required(facts, "reason"),
              Boolean.parseBoolean(required(facts, "closing")));
      return new SignedDigest(
          d, facts.get("keyId"), facts.get("algorithm"), facts.get("signature"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a digest field is not a number", e);
    }
  }

  private static String required(Map<String, String> facts, String name) {
    String value = facts.get(name);
    if (value == null) throw new IllegalArgumentException("the digest has no " + name);
    return value;
  }
}
