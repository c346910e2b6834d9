package io.abafix.workflows.plan;

/**
 * One step of a plan.
 *
 * @param order position in the plan, from 1
 * @param phase the documented phase (1 working server ... 6 final verification)
 * @param target a server name, or {@link #DIRECTORY}
 * @param destructive whether it needs approval before it runs
 */
public record PlannedStep(
    int order,
    int phase,
    StepName step,
    String target,
    Executor executor,
    boolean destructive,
    String description) {

  /** The target of directory steps. */
  public static final String DIRECTORY = "directory";

  /** A key that names this step in this plan, e.g. {@code REVERT_TO_SERVICE_ACCOUNT@SERVERA}. */
  public String key() {
    return step + "@" + target;
  }
}
