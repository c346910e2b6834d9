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
  CANCELED
}
