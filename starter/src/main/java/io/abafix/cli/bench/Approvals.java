package io.abafix.cli.bench;

import io.abafix.cli.LabApprover;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lab's approver at work for every run of a deployment: one thread looks at each run that has
 * not been approved yet, every {@link #LOOK} milliseconds, and approves its plan once it asks.
 */
final class Approvals implements AutoCloseable {
  /** How often a waiting run is looked at: a person who answers at once, give or take this. */
  static final long LOOK = 10;

  private final LabApprover approver;
  private final Map<String, CompletableFuture<LabApprover.Approval>> asking =
      new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  Approvals(LabApprover approver) {
    this.approver = approver;
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
        try {
          LabApprover.Approval a = approver.approveIfAsked(e.getKey());
          if (a != null && asking.remove(e.getKey()) != null) e.getValue().complete(a);
        } catch (RuntimeException failed) {
          if (asking.remove(e.getKey()) != null) e.getValue().completeExceptionally(failed);
        }
      }
      try {
        Thread.sleep(LOOK);
      } catch (InterruptedException stop) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
