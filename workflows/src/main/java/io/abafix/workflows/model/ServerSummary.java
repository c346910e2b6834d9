package io.abafix.workflows.model;

/** One server's state at the end of a run, as the summary shows it. */
public record ServerSummary(
    String name,
    String identityType,
    String applicationId,
    String machineId,
    boolean syncCycleEnabled) {}
