package io.abafix.activities.approval;

/**
 * The proof a changing step carries: the approver's signed decision, and what the step is for.
 *
 * @param use {@link #COMPENSATION} when the run is undoing its own change, else null: each use of
 *     an approval acts once ({@link ApprovalLedger}), and a compensation gets its one use beside
 *     the step's
 * @param approval the approver's {@link DecisionBinding#APPROVE} proof
 */
public record StepAuthorization(String use, ApprovalProof approval) {
  /** The use of a compensation: the run's approvals let it undo what they let it do. */
  public static final String COMPENSATION = "compensation";

  public StepAuthorization {
    if (use != null && !COMPENSATION.equals(use)) {
      throw new IllegalArgumentException("a step's use is " + COMPENSATION + " or none: " + use);
    }
  }

  /** Nothing: what a step scheduled by anyone but an approved run carries. */
  public static StepAuthorization none() {
    return new StepAuthorization(null, null);
  }

  /** The same approval, used to undo what it approved. */
  public StepAuthorization forCompensation() {
    return new StepAuthorization(COMPENSATION, approval);
  }
}
