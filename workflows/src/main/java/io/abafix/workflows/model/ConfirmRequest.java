package io.abafix.workflows.model;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;

/**
 * A person's word that an operator step is done. The workflow checks the effect itself before it
 * believes it.
 *
 * @param step the step name, e.g. {@code CONFIGURE_ABA}
 * @param server the server it was done on
 * @param by who did it, as typed: a label; the journal names whom {@code proof} proves
 * @param proof the person's Entra ID sign-in bound to this confirmation ({@link
 *     DecisionBinding#confirm}), or null
 */
public record ConfirmRequest(String step, String server, String by, ApprovalProof proof) {
  /** An unsigned confirmation, refused by runs that check sign-ins. */
  public ConfirmRequest(String step, String server, String by) {
    this(step, server, by, null);
  }
}
