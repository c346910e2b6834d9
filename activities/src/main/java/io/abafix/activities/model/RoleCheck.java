package io.abafix.activities.model;

/**
 * Whether an account holds the Global Administrator role, as far as the directory worker could read
 * it. "Cannot tell" is its own answer, never "no": a missing permission makes Graph hide role
 * assignments (limited information) rather than refuse.
 *
 * @param account the user principal name that was looked up
 * @param status what was found
 * @param how for {@link Status#HOLDS}: "active", "eligible (Privileged Identity Management)", or
 *     either "through group ..." ; for the others, what was read
 * @param missingPermission for {@link Status#CANNOT_TELL}: the application permission to grant the
 *     directory worker's app; null otherwise
 */
public record RoleCheck(String account, Status status, String how, String missingPermission) {

  /** What the lookup found. */
  public enum Status {
    HOLDS,
    DOES_NOT_HOLD,
    CANNOT_TELL
  }

  public static RoleCheck holds(String account, String how) {
    return new RoleCheck(account, Status.HOLDS, how, null);
  }

  public static RoleCheck doesNotHold(String account, String how) {
    return new RoleCheck(account, Status.DOES_NOT_HOLD, how, null);
  }

  public static RoleCheck cannotTell(String account, String why, String missingPermission) {
    return new RoleCheck(account, Status.CANNOT_TELL, why, missingPermission);
  }

  public boolean holdsRole() {
    return status == Status.HOLDS;
  }

  /** One line for the journal and the plan's findings. */
  public String describe() {
    return switch (status) {
      case HOLDS -> account + " holds Global Administrator (" + how + ")";
      case DOES_NOT_HOLD -> account + " does not hold Global Administrator (" + how + ")";
      case CANNOT_TELL ->
          "cannot tell whether "
              + account
              + " holds Global Administrator: "
              + how
              + (missingPermission == null
                  ? ""
                  : "; grant the directory worker's app " + missingPermission);
    };
  }
}
