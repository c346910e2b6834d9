package io.abafix.activities.approval;

import java.time.Instant;

/**
 * A run as the Temporal server recorded its start: what a worker trusts about the run a step
 * belongs to, never what the step's own input claims.
 *
 * @param firstRunId the first run of the chain (unchanged by a reset): decisions bind it
 * @param startedAt when the server recorded the start: a requester's start is checked then
 * @param start the start record in the run's start input, or null when there is none
 * @param parentWorkflowId the workflow that started this run as its child, or null
 * @param parentRunId that parent's run, or null
 */
public record StartedRun(
    String namespace,
    String workflowId,
    String runId,
    String firstRunId,
    Instant startedAt,
    RunStart start,
    String parentWorkflowId,
    String parentRunId) {}
