package io.abafix.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class DirectoryChecksTest {

  @Test
  void a_server_on_application_identity_is_checked_by_the_account_the_revert_gives_it() {
    // Its connector names the app (<appId>@tenant), which is no user: looking it up would 404.
    ServerState aba =
        state(
            "SERVERA",
            "3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d",
            "abdc652a-160c-469e-b31a-70b29e8cf3a8@contoso.onmicrosoft.com",
            IdentityType.Application);
    assertEquals(
        List.of("Sync_SERVERA_3f1c9a2b7d4e@contoso.onmicrosoft.com"),
        DirectoryChecks.accountsToCheck(List.of(aba)));
  }

  @Test
  void a_server_on_a_service_account_is_checked_by_that_account() {
    ServerState legacy =
        state(
            "SERVERC",
            "c4d5e6f7a8b94c0d9e1f2a3b4c5d6e7f",
            "svc-legacy@contoso.onmicrosoft.com",
            IdentityType.ServiceAccount);
    assertEquals(
        List.of("svc-legacy@contoso.onmicrosoft.com"),
        DirectoryChecks.accountsToCheck(List.of(legacy, legacy)));
  }

  private static ServerState state(
      String server, String machineId, String connector, IdentityType type) {
    return new ServerState(
        server,
        machineId,
        "2.6.3.0",
        false,
        true,
        true,
        false,
        connector,
        type,
        null,
        null,
        null,
        new AbaParameters(null, null, null),
        null);
  }
}
