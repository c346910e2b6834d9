package io.abafix.workflows.model;

import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.ProvenParameters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a decision on a gate binds, computed the same way by everyone who signs one: for one gate,
 * the plan's digest and that gate's exact parameters; for {@code PLAN} (every open gate at once),
 * the plan's digest, every open gate's exact parameters under {@code gate/name}, every destructive
 * operation of the open gates with its targets, and the plan-wide lists ({@link
 * ProvenParameters#PLAN_WIDE}: the non-destructive changes, the retired apps). A worker finds its
 * step's parameters in either with {@link ProvenParameters#forStep}.
 */
public final class DecisionScope {
  public static final String PLAN = "PLAN";

  private static final List<String> PROVEN =
      List.of(
          ProvenParameters.REVERT_TO_SERVICE_ACCOUNT,
          ProvenParameters.REGENERATE_MACHINE_ID,
          ProvenParameters.DELETE_APPLICATION,
          ProvenParameters.INSTALL_AD_SYNC_TOOLS,
          ProvenParameters.CHANGES,
          ProvenParameters.RETIRED_APP_IDS);

  private DecisionScope() {}

  /**
   * @param gate a gate's name, or {@code PLAN}
   * @param open the gates open now
   * @throws IllegalArgumentException when no open gate has that name
   */
  public static DecisionBinding binding(
      String namespace,
      String workflowId,
      String runId,
      String gate,
      List<PendingApproval> open,
      boolean approve) {
    String decision = approve ? DecisionBinding.APPROVE : DecisionBinding.REJECT;
    if (PLAN.equalsIgnoreCase(gate)) {
      if (open.isEmpty()) throw new IllegalArgumentException("no gate is open");
      Map<String, TreeSet<String>> merged = new TreeMap<>();
      Map<String, String> parameters = new TreeMap<>();
      for (PendingApproval p : open) {
        for (String name : PROVEN) {
          List<String> values = ProvenParameters.values(p.parameters(), name);
          if (!values.isEmpty()) merged.computeIfAbsent(name, k -> new TreeSet<>()).addAll(values);
        }
        p.parameters()
            .forEach((k, v) -> parameters.put(p.gate() + ProvenParameters.GATE_SEPARATOR + k, v));
      }
      merged.forEach((k, v) -> parameters.put(k, ProvenParameters.list(v)));
      return new DecisionBinding(
          namespace, workflowId, runId, PLAN, open.get(0).planDigest(), parameters, decision);
    }
    for (PendingApproval p : open) {
      if (p.gate().equalsIgnoreCase(gate)) {
        return new DecisionBinding(
            namespace, workflowId, runId, p.gate(), p.planDigest(), p.parameters(), decision);
      }
    }
    throw new IllegalArgumentException("no open gate " + gate);
  }
}
