/**
 * Proofs of who approved: an approver's Entra ID token whose nonce binds one decision ({@link
 * io.abafix.activities.approval.DecisionBinding}), and the checks the workers make on it before a
 * destructive step touches anything ({@link io.abafix.activities.approval.ApprovalGuard}).
 */
package io.abafix.activities.approval;
