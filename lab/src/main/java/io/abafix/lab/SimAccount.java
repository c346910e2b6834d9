package io.abafix.lab;

import java.util.List;

/**
 * A user account in the simulated tenant.
 *
 * @param eligibleRoles roles it may activate through Privileged Identity Management
 * @param usableFromMillis the lab time from which it can sign in: a new account propagates first
 */
record SimAccount(
    String userPrincipalName,
    List<String> roles,
    List<String> eligibleRoles,
    long usableFromMillis) {
  SimAccount {
    roles = List.copyOf(roles);
    eligibleRoles = eligibleRoles == null ? List.of() : List.copyOf(eligibleRoles);
  }

  SimAccount(String userPrincipalName, List<String> roles, long usableFromMillis) {
    this(userPrincipalName, roles, List.of(), usableFromMillis);
  }

  boolean eligibleFor(String role) {
    return eligibleRoles.stream().anyMatch(role::equalsIgnoreCase);
  }

  boolean hasRole(String role) {
    return roles.stream().anyMatch(role::equalsIgnoreCase);
  }
}
