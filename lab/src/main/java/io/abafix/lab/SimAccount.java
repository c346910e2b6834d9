package io.abafix.lab;

import java.util.List;

/**
 * A user account in the simulated tenant.
 *
 * @param usableFromMillis the lab time from which it can sign in: a new account propagates first
 */
record SimAccount(String userPrincipalName, List<String> roles, long usableFromMillis) {
  SimAccount {
    roles = List.copyOf(roles);
  }

  boolean hasRole(String role) {
    return roles.stream().anyMatch(role::equalsIgnoreCase);
  }
}
