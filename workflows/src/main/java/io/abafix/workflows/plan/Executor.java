package io.abafix.workflows.plan;

/** Who performs a step. */
public enum Executor {
  /** A PowerShell script on the server, or a Graph call. */
  AUTOMATED,
  /**
   * A person (a wizard page, an MFA sign-in), who then tells abafix with {@code abafix confirm}.
   */
  OPERATOR,
  /** The workflow itself: waiting, comparing, verifying. */
  WORKFLOW
}
