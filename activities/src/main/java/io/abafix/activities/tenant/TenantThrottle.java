package io.abafix.activities.tenant;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.CallerAccess;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One tenant's Graph budget, around that tenant's own {@link Directory} (its own msal4j app, token
 * cache and HTTP client). Graph throttles per tenant and app, so the budget is the tenant's alone:
 *
 * <ul>
 *   <li>at most {@code requestsPerSecond} calls a second (a short wait on the step's own thread);
 *   <li>after Graph answers 429/503 with Retry-After, the tenant's further calls fail at once, as
 *       the same transient failure with what is left of the wait, instead of hitting Graph again
 *       and prolonging the throttling. Temporal retries each step after that delay, durably; no
 *       worker thread waits it out.
 * </ul>
 *
 * A throttled tenant therefore never delays another: each tenant of a directory deployment has a
 * throttle of its own.
 */
public final class TenantThrottle implements Directory {
  private final String tenant;
  private final Directory delegate;
  private final double requestsPerSecond;
  private final LongSupplier clock;
  private long nextPermitMillis;
  private long throttledUntilMillis;

  /**
   * @param requestsPerSecond 0 or less for no per-second limit
   * @param clock epoch millis (the system clock in production)
   */
  public TenantThrottle(
      String tenant, Directory delegate, double requestsPerSecond, LongSupplier clock) {
    this.tenant = tenant;
    this.delegate = delegate;
    this.requestsPerSecond = requestsPerSecond;
    this.clock = clock;
  }

  public TenantThrottle(String tenant, Directory delegate, double requestsPerSecond) {
    this(tenant, delegate, requestsPerSecond, System::currentTimeMillis);
  }

  /** Until when (epoch millis) this tenant's Graph calls are held back; 0 when they are not. */
  public synchronized long throttledUntil() {
    return throttledUntilMillis > clock.getAsLong() ? throttledUntilMillis : 0;
  }

  private <T> T call(Supplier<T> op) {
    admit();
    try {
      return op.get();
    } catch (HostException e) {
      e.retryAfter().ifPresent(this::holdBack);
      throw e;
    }
  }

  private void run(Runnable op) {
    call(
        () -> {
          op.run();
          return null;
        });
  }

  private void admit() {
    long wait;
    synchronized (this) {
      long now = clock.getAsLong();
      if (throttledUntilMillis > now) {
        Duration left = Duration.ofMillis(throttledUntilMillis - now);
        throw new HostException(
            Category.TRANSIENT,
            "Microsoft Graph throttles tenant "
                + tenant
                + ": calls held back for another "
                + left.toSeconds()
                + " s (its Retry-After)",
            null,
            left);
      }
      if (requestsPerSecond <= 0) return;
      long slot = Math.max(now, nextPermitMillis);
      nextPermitMillis = slot + (long) Math.ceil(1000.0 / requestsPerSecond);
      wait = slot - now;
    }
    if (wait <= 0) return;
    try {
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(Category.TRANSIENT, "interrupted waiting for a Graph permit");
    }
  }

  private synchronized void holdBack(Duration retryAfter) {
    throttledUntilMillis =
        Math.max(throttledUntilMillis, clock.getAsLong() + retryAfter.toMillis());
  }

  @Override
  public List<AppRegistration> listApplications(String displayNamePrefix) {
    return call(() -> delegate.listApplications(displayNamePrefix));
  }

  @Override
  public Optional<AppRegistration> getApplication(String id) {
    return call(() -> delegate.getApplication(id));
  }

  @Override
  public Optional<AppRegistration> getDeletedApplication(String id) {
    return call(() -> delegate.getDeletedApplication(id));
  }

  @Override
  public void deleteApplication(String id) {
    run(() -> delegate.deleteApplication(id));
  }

  @Override
  public void restoreApplication(String id) {
    run(() -> delegate.restoreApplication(id));
  }

  @Override
  public Optional<String> servicePrincipalId(String appId) {
    return call(() -> delegate.servicePrincipalId(appId));
  }

  @Override
  public Optional<String> deletedServicePrincipalId(String appId) {
    return call(() -> delegate.deletedServicePrincipalId(appId));
  }

  @Override
  public void restoreServicePrincipal(String id) {
    run(() -> delegate.restoreServicePrincipal(id));
  }

  @Override
  public String createServicePrincipal(String appId) {
    return call(() -> delegate.createServicePrincipal(appId));
  }

  @Override
  public List<String> applicationOwners(String appObjectId) {
    return call(() -> delegate.applicationOwners(appObjectId));
  }

  @Override
  public CallerAccess callerAccess() {
    return call(delegate::callerAccess);
  }

  @Override
  public RoleCheck globalAdministrator(String userPrincipalName) {
    return call(() -> delegate.globalAdministrator(userPrincipalName));
  }
}
