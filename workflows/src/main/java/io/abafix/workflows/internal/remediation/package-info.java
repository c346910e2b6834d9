/**
 * The pieces of the shared-app remediation: the run's state ({@link RemediationRun}), preflight,
 * the plan's approvals, one handler per kind of step, the compensations and the final verification.
 * {@code SharedAppRemediationWorkflowImpl} strings them together in the documented order. Not API:
 * may change without notice.
 */
package io.abafix.workflows.internal.remediation;
