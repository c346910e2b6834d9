package io.abafix.workflows.incident;

import java.util.List;

/**
 * The diagnosis of a fleet: every finding, most important first.
 *
 * @param servers the servers diagnosed
 */
public record Diagnosis(String tenant, List<String> servers, List<Finding> findings) {

  public Diagnosis {
    servers = List.copyOf(servers);
    findings = List.copyOf(findings);
  }

  /** True when nothing needs fixing or attention. */
  public boolean healthy() {
    return findings.isEmpty();
  }

  public boolean has(FindingKind kind) {
    return findings.stream().anyMatch(f -> f.kind() == kind);
  }

  public List<Finding> of(FindingKind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }
}
