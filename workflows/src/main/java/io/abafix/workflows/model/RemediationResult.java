package io.abafix.workflows.model;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.plan.Plan;
import java.util.List;

/** What a finished run returns: the plan, the end state and the whole audit journal. */
public record RemediationResult(
    Outcome outcome,
    String message,
    Plan plan,
    List<ServerSummary> servers,
    List<ApplicationSummary> applications,
    List<AuditEntry> audit) {}
