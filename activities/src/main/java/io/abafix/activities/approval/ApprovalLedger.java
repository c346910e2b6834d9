package io.abafix.activities.approval;

import java.util.HashMap;
import java.util.Map;

/**
 * Where a worker records each approval it has acted on, so a proof is used once: the first holder
 * of a key (a step of a run, a start id) keeps it; the same holder again (a retry of the same
 * scheduled activity) is let through; anyone else is told who holds it.
 */
public interface ApprovalLedger {
  /**
   * @return null when {@code holder} holds {@code key} now (first use, or its own retry); else the
   *     holder recorded first
   */
  String claim(String key, String holder);

  /**
   * A ledger in this process's memory: for the lab, whose workers live as long as the demo. A
   * worker on a server uses {@link FileApprovalLedger}, which survives its restart.
   */
  static ApprovalLedger inMemory() {
    Map<String, String> held = new HashMap<>();
    return (key, holder) -> {
      synchronized (held) {
        String first = held.putIfAbsent(key, holder);
        return first == null || first.equals(holder) ? null : first;
      }
    };
  }
}
