package io.abafix.workflows.model;

/** One live {@code ConnectSyncProvisioning_*} app registration at the end of a run. */
public record ApplicationSummary(String id, String appId, String displayName) {}
