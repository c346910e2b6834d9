package io.abafix.workflows.model;

/** How a remediation ended (or where it is). */
public enum Outcome {
  RUNNING,
  /** Every step ran and the final verification passed. */
  SUCCEEDED,
  /** Preflight and plan only, as asked. */
  DRY_RUN,
  /** Preflight found nothing to fix; nothing ran. */
  NOTHING_TO_DO,
  /** Every step ran but the final verification found a problem. */
  VERIFICATION_FAILED,
  /**
   * Preflight found a prerequisite missing (a permission, an owner, a credential): nothing was
   * paused or changed, and the result says what to fix.
   */
  BLOCKED,
  /** Preflight could not read the fleet; nothing was changed. */
  FAILED,
  /** A step failed, was rejected or timed out; compensation ran. */
  COMPENSATED,
  /** A person cancelled the run; compensation ran. */
  CANCELED,
  /**
   * Someone terminated the run in Temporal: it stopped where it was, and no compensation ran. Never
   * the run's own word: a client that finds the run closed so names it.
   */
  TERMINATED,
  /**
   * The run outlived its run timeout and Temporal closed it where it was. Never the run's own word.
   */
  TIMED_OUT
}
