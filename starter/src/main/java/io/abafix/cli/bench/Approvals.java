package io.abafix.cli.bench;

import io.abafix.cli.LabApprover;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's approver at work for every run of a deployment: one thread looks at each run that has
 * not been approved yet, every {@link #LOOK} milliseconds and no more than {@link
 * #LOOKS_PER_SECOND} looks a second in all (so that hundreds of waiting runs do not keep the server
 * busy with looks), and once one asks, its plan is approved on one of {@link #SIGNERS} threads:
 * tenants have approvers of their own, who sign in at the same time.
 */
final class Approvals implements AutoCloseable {
  /** How often a waiting run is looked at: a person who answers at once, give or take this. */
  static final long LOOK = 50;

  static final int LOOKS_PER_SECOND = 200;

  static final int SIGNERS = 4;

  /** How many times a run's approval is tried before its wait fails. */
  static final int ATTEMPTS = 5;

  private final LabApprover approver;
  private final Map<String, CompletableFuture<LabApprover.Approval>> asking =
      new ConcurrentHashMap<>();
  private final java.util.Set<String> signing = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();
  private final java.util.concurrent.ExecutorService signers;
  private final Thread thread;
  private volatile boolean closed;

  Approvals(LabApprover approver) {
    this.approver = approver;
    this.signers =
        java.util.concurrent.Executors.newFixedThreadPool(
            SIGNERS,
            r -> {
              Thread t = new Thread(r, "lab-approver-signs");
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::loop, "lab-approver");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Approves run {@code workflowId} when it asks; {@code done} is its result, which ends the wait
   * when the run ends without asking.
   */
  CompletableFuture<LabApprover.Approval> approve(String workflowId, CompletableFuture<?> done) {
    CompletableFuture<LabApprover.Approval> approval = new CompletableFuture<>();
    asking.put(workflowId, approval);
    done.whenComplete(
        (r, e) -> {
          if (asking.remove(workflowId) != null) {
            approval.completeExceptionally(
                new IllegalStateException(workflowId + " ended without asking for approval"));
          }
        });
    return approval;
  }

  private void loop() {
    while (!closed) {
      for (var e : asking.entrySet()) {
        String id = e.getKey();
        if (signing.contains(id)) continue;
        try {
          if (!approver.mayAsk(id)) continue;
        } catch (RuntimeException failed) {
          if (failures.merge(id, 1, Integer::sum) >= ATTEMPTS && asking.remove(id) != null) {
            e.getValue().completeExceptionally(failed);
          }
          continue;
        }
        signing.add(id);
        signers.execute(() -> sign(id, e.getValue()));
      }
      try {
        Thread.sleep(Math.max(LOOK, asking.size() * 1000L / LOOKS_PER_SECOND));
      } catch (InterruptedException stop) {
        return;
      }
    }
  }

  private void sign(String id, CompletableFuture<LabApprover.Approval> approval) {
    try {
      LabApprover.Approval a = approver.approveIfAsked(id);
      if (a != null && asking.remove(id) != null) approval.complete(a);
    } catch (RuntimeException failed) {
      // A query or a decision that times out on a loaded server is tried again at the next look,
      // as a person would; one that keeps failing fails the run's wait.
      if (failures.merge(id, 1, Integer::sum) >= ATTEMPTS && asking.remove(id) != null) {
        approval.completeExceptionally(failed);
      }
    } finally {
      signing.remove(id);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    signers.shutdownNow();
  }
}
