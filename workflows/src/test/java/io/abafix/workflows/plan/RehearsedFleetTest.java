package io.abafix.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RehearsedFleetTest {
  private static final String APP = "abdc652a-160c-469e-b31a-70b29e8cf3a8";
  private static final String CERT_A = "E1475F4D5BCA1E7596CFF6A623347533ADF66165";

  @Test
  void the_same_fleet_and_plan_differ_in_nothing() {
    assertEquals(List.of(), rehearsed().differences(rehearsed()));
  }

  @Test
  void another_identity_and_another_server_set_are_each_named() {
    RehearsedFleet now =
        RehearsedFleet.of(
            "d1",
            List.of(
                server("SERVERA", "3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d", IdentityType.ServiceAccount),
                server("SERVERC", "0123456789abcdef0123456789abcdef", IdentityType.Application)),
            List.of(app(CERT_A)));
    assertEquals(
        List.of(
            "server SERVERB was rehearsed but is not in the run",
            "server SERVERC is in the run but was not rehearsed",
            "SERVERA identity was Application when rehearsed, is ServiceAccount now",
            "SERVERA app id was " + APP + " when rehearsed, is (none) now",
            "SERVERA service account was (none) when rehearsed, is Sync_SERVERA_3f1c9a2b7d4e now",
            "SERVERA certificate was " + CERT_A + " when rehearsed, is (none) now"),
        rehearsed().differences(now));
  }

  @Test
  void the_same_facts_with_another_plan_name_both_digests() {
    RehearsedFleet other =
        new RehearsedFleet("ffffffffffffffff", rehearsed().servers(), rehearsed().applications());
    assertEquals(1, rehearsed().differences(other).size());
    assertEquals(
        true,
        rehearsed().differences(other).get(0).contains("digest d1 rehearsed, ffffffffffff now"));
  }

  private static RehearsedFleet rehearsed() {
    return RehearsedFleet.of(
        "d1",
        List.of(
            server("SERVERA", "3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d", IdentityType.Application),
            server("SERVERB", "9b2e7c41d05a4f3e8a6b1c2d3e4f5a6b", IdentityType.Application)),
        List.of(app(CERT_A)));
  }

  private static AppRegistration app(String thumbprint) {
    return new AppRegistration(
        "b370b668-85ee-4cb7-bafa-79663145b942",
        APP,
        "ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e",
        List.of(new KeyCredential("k1", thumbprint, null)));
  }

  private static ServerState server(String name, String machineId, IdentityType type) {
    boolean app = type == IdentityType.Application;
    return new ServerState(
        name,
        machineId,
        "2.6.3.0",
        false,
        true,
        true,
        false,
        "sync@contoso.onmicrosoft.com",
        type,
        app ? null : "Sync_" + name + "_" + machineId.substring(0, 12),
        app ? APP : null,
        app && name.equals("SERVERA") ? CERT_A : null,
        new AbaParameters("Microsoft", "Microsoft", null),
        null);
  }
}
