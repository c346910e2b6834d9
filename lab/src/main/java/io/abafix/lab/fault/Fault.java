package io.abafix.lab.fault;

/**
 * One fault a scenario injects.
 *
 * @param step the operation it hits: a {@code SyncServerHost} / {@code Directory} method name (e.g.
 *     {@code revertToServiceAccount}, {@code deleteApplication}); for Graph HTTP faults the Graph
 *     operation ({@code listApplications}, {@code deleteApplication}, {@code restoreApplication},
 *     {@code token})
 * @param server the server it hits; null for directory and Graph faults
 * @param kind what happens
 * @param times how many calls it hits before it is used up (at least 1)
 * @param httpStatus for {@link Kind#HTTP}: 429 or 503
 * @param retryAfterSeconds for {@link Kind#HTTP}: the Retry-After header value
 */
public record Fault(
    String step,
    String server,
    Kind kind,
    int times,
    Integer httpStatus,
    Integer retryAfterSeconds) {

  /** The kinds of fault. */
  public enum Kind {
    /** The operation fails with a transient error before doing anything. */
    TRANSIENT,
    /** The operation fails with a permanent error before doing anything. */
    PERMANENT,
    /** Graph answers {@code httpStatus} with {@code Retry-After}. */
    HTTP,
    /**
     * The worker dies in the middle of the step: the effect happens but no reply comes back, so the
     * retry must find the effect already in place.
     */
    CRASH,
    /**
     * The worker dies part way through the step and leaves it half done, the reply lost: for {@code
     * setMachineIdentifier}, after {@code Stop-Service ADSync} and before the registry write, so
     * ADSync stays stopped with the old id. The retry must finish the job. Only that step has it.
     */
    INTERRUPTED
  }

  public Fault {
    if (step == null || step.isBlank()) throw new IllegalArgumentException("a fault needs a step");
    if (kind == null) throw new IllegalArgumentException("fault on " + step + " needs a kind");
    if (times < 1) times = 1;
    if (kind == Kind.HTTP && (httpStatus == null || retryAfterSeconds == null)) {
      throw new IllegalArgumentException(
          "HTTP fault on " + step + " needs httpStatus and retryAfterSeconds");
    }
  }
}
