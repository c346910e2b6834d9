package io.abafix.activities.approval;

/**
 * A run's start as its preflight proved it.
 *
 * @param requester who signed the start (or the incident proposal's approver), null for an unsigned
 *     start where the two-person rule does not apply
 * @param twoPerson whether the two-person rule holds for the run
 */
public record VerifiedStart(VerifiedIdentity requester, boolean twoPerson) {}
