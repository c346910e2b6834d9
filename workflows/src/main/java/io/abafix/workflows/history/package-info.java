/**
 * A closed run's journal read from Temporal's history, without a worker ({@link
 * io.abafix.workflows.history.JournalHistory}): client side, never called from workflow code.
 */
package io.abafix.workflows.history;
