package io.abafix.activities.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A directory deployment serves two tenants, each through its own throttle: one tenant's Graph
 * throttling (429 with Retry-After) holds back that tenant's calls and never another's.
 */
class TenantThrottleTest {
  final AtomicLong now = new AtomicLong(1_000_000);

  @Test
  void a_throttled_tenant_waits_out_its_retry_after_and_the_other_tenant_goes_on() {
    Graph contosoGraph = new Graph();
    Graph fabrikamGraph = new Graph();
    contosoGraph.throttleNext(Duration.ofSeconds(120));
    TenantThrottle contoso = new TenantThrottle("contoso", contosoGraph, 0, now::get);
    TenantThrottle fabrikam = new TenantThrottle("fabrikam", fabrikamGraph, 0, now::get);

    HostException first = assertThrows(HostException.class, () -> contoso.listApplications("C"));
    assertEquals(Optional.of(Duration.ofSeconds(120)), first.retryAfter());

    now.addAndGet(30_000);
    HostException held = assertThrows(HostException.class, () -> contoso.listApplications("C"));
    assertEquals(Category.TRANSIENT, held.category());
    assertEquals(Optional.of(Duration.ofSeconds(90)), held.retryAfter(), "what is left of it");
    assertEquals(1, contosoGraph.calls, "held back without another request to Graph");

    assertEquals(List.of(), fabrikam.listApplications("C"), "the other tenant is not held");
    assertEquals(1, fabrikamGraph.calls);
    assertEquals(0, fabrikam.throttledUntil());

    now.addAndGet(90_000);
    assertEquals(List.of(), contoso.listApplications("C"), "after its Retry-After");
    assertEquals(2, contosoGraph.calls);
  }

  @Test
  void calls_beyond_the_tenants_rate_wait_their_turn() throws Exception {
    Graph graph = new Graph();
    TenantThrottle throttle = new TenantThrottle("contoso", graph, 20, System::currentTimeMillis);
    long started = System.nanoTime();
    for (int i = 0; i < 5; i++) throttle.servicePrincipalExists("app");
    long millis = (System.nanoTime() - started) / 1_000_000;
    // 20 a second: the fifth call starts no sooner than 4 × 50 ms after the first.
    assertTrue(millis >= 190, "five calls at 20/s took " + millis + " ms");
    assertEquals(5, graph.calls);
  }

  /** A stand-in for one tenant's Graph: answers 429 once when told to. */
  static final class Graph implements Directory {
    int calls;
    private Duration throttle;

    void throttleNext(Duration retryAfter) {
      throttle = retryAfter;
    }

    private void call() {
      calls++;
      if (throttle != null) {
        Duration d = throttle;
        throttle = null;
        throw new HostException(Category.TRANSIENT, "429 TooManyRequests", null, d);
      }
    }

    @Override
    public List<AppRegistration> listApplications(String displayNamePrefix) {
      call();
      return new ArrayList<>();
    }

    @Override
    public Optional<AppRegistration> getApplication(String id) {
      call();
      return Optional.empty();
    }

    @Override
    public Optional<AppRegistration> getDeletedApplication(String id) {
      call();
      return Optional.empty();
    }

    @Override
    public void deleteApplication(String id) {
      call();
    }

    @Override
    public void restoreApplication(String id) {
      call();
    }

    @Override
    public Optional<String> servicePrincipalId(String appId) {
      call();
      return Optional.of("sp");
    }

    @Override
    public Optional<String> deletedServicePrincipalId(String appId) {
      call();
      return Optional.empty();
    }

    @Override
    public void restoreServicePrincipal(String id) {
      call();
    }

    @Override
    public String createServicePrincipal(String appId) {
      call();
      return "sp";
    }

    @Override
    public List<String> applicationOwners(String appObjectId) {
      call();
      return List.of();
    }

    @Override
    public io.abafix.activities.model.CallerAccess callerAccess() {
      call();
      return new io.abafix.activities.model.CallerAccess("app", "sp", List.of(), "", "");
    }

    @Override
    public io.abafix.activities.model.RoleCheck globalAdministrator(String userPrincipalName) {
      call();
      return io.abafix.activities.model.RoleCheck.doesNotHold(userPrincipalName, "test");
    }
  }
}
