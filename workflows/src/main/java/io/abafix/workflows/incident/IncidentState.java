package io.abafix.workflows.incident;

/** Where an incident is. */
public enum IncidentState {
  /** Gathering reports until they stop coming for the debounce window. */
  COLLECTING,
  /** Reading the fleet. */
  DIAGNOSING,
  /** The proposal waits for {@code abafix approve} or {@code abafix reject}. */
  AWAITING_APPROVAL,
  /** The proposed workflows run. */
  REMEDIATING,
  /** Diagnosing again after the workflows ended. */
  VERIFYING,
  CLOSED
}
