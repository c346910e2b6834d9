package io.abafix.activities.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/** Each national cloud's documented v2.0 issuer, keys and authority. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class ApprovalTrustTest {
  private static final String TENANT = "0d3c4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f";
  private static final String APP = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

  @Test
  void each_cloud_pins_its_own_sign_in_host() {
    ApprovalTrust global = new ApprovalTrust(TENANT, APP, null, false);
    assertEquals("https://login.microsoftonline.com/" + TENANT + "/v2.0", global.issuer());

    ApprovalTrust usGov = global.in(SignInCloud.of("usgov"));
    assertEquals("https://login.microsoftonline.us/" + TENANT + "/v2.0", usGov.issuer());
    assertEquals(
        "https://login.microsoftonline.us/" + TENANT + "/discovery/v2.0/keys",
        usGov.jwksUri().toString());
    assertEquals("https://login.microsoftonline.us/" + TENANT + "/", usGov.authority());
    assertEquals(SignInCloud.US_GOV, SignInCloud.of("DoD"));

    ApprovalTrust china = global.in(SignInCloud.of("china"));
    assertEquals("https://login.partner.microsoftonline.cn/" + TENANT + "/v2.0", china.issuer());
  }

  @Test
  void an_unknown_cloud_is_refused_naming_the_known_ones() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SignInCloud.of("moon"));
    assertTrue(e.getMessage().contains("global, usgov"), e.getMessage());
  }
}
