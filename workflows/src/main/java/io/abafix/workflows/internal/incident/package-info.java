/**
 * The pieces of the incident workflow: its reports ({@link Reports}) and the workflows it starts
 * ({@link ChildRuns}). Not API: may change without notice.
 */
package io.abafix.workflows.internal.incident;
