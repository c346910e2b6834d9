/**
 * The run report: one self-contained HTML page a change board can read, made from the run's journal
 * alone ({@link io.abafix.cli.report.RunReport#of}) and rendered by {@link
 * io.abafix.cli.report.HtmlReport}. Pure functions of the journal entries: no Temporal, no I/O.
 */
package io.abafix.cli.report;
