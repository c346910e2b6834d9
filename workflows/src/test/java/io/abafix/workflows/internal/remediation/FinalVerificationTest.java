package io.abafix.workflows.internal.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class FinalVerificationTest {
  private static final String THUMBPRINT = "E1475F4D5BCA1E7596CFF6A623347533ADF66165";
  private static final String MACHINE_ID = "9b2e7c41d05a4f3e8a6b1c2d3e4f5a6b";

  @Test
  void an_app_named_for_the_server_and_its_machine_id_in_full_passes() {
    assertEquals(List.of(), problems("ConnectSyncProvisioning_SERVERB_9b2e7c41d05a"));
  }

  @Test
  void an_app_named_for_the_server_but_another_machine_id_is_a_problem() {
    // The prefix alone matches: the old machine id's app, or another clone's.
    List<String> problems = problems("ConnectSyncProvisioning_SERVERB_3f1c9a2b7d4e");
    assertEquals(1, problems.size(), String.valueOf(problems));
    assertTrue(
        problems.get(0).contains("expected ConnectSyncProvisioning_SERVERB_9b2e7c41d05a"),
        problems.get(0));
  }

  private static List<String> problems(String appName) {
    ServerState st =
        new ServerState(
            "SERVERB",
            MACHINE_ID,
            "2.6.3.0",
            false,
            true,
            true,
            false,
            "app@contoso.onmicrosoft.com",
            IdentityType.Application,
            null,
            "app-1",
            THUMBPRINT,
            new AbaParameters("Microsoft", "Microsoft", THUMBPRINT),
            null);
    AppRegistration app =
        new AppRegistration(
            "obj-1", "app-1", appName, List.of(new KeyCredential("k", THUMBPRINT, null)));
    List<String> problems = new ArrayList<>();
    FinalVerification.checkApp(st, List.of(app), problems);
    return problems;
  }
}
