package io.abafix.workflows.internal.incident;

import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.ProposedRun;
import java.util.List;

/** A diagnosis and the workflows it proposes: what the incident records as one side effect. */
public record Assessment(Diagnosis diagnosis, List<ProposedRun> proposal) {
  public Assessment {
    proposal = proposal == null ? List.of() : List.copyOf(proposal);
  }
}
