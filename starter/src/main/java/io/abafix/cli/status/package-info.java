/**
 * {@code abafix status}: where each server of a run is, step by step, and what the operator must do
 * next. {@link io.abafix.cli.status.RunStatus#of} is a pure function of what the run's queries
 * answer (plan, progress, journal) and the time; {@link io.abafix.cli.status.StatusRender} draws it
 * as a screen, as one line per change, or as JSON Lines. A closed run answers no query: {@link
 * io.abafix.cli.status.ClosedRun} shows it from its journal as its history holds it, with what it
 * left paused.
 */
package io.abafix.cli.status;
