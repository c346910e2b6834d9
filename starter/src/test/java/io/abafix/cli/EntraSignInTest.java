package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.ProofRefusedException;
import io.abafix.activities.approval.VerifiedIdentity;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.signin.LabBrowser;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real msal4j public client signs lab users in against the lab's fake Entra ID over HTTP, and
 * the ID token it brings back verifies as the proof of exactly the decision it was asked for.
 */
class EntraSignInTest {
  final Lab lab = Lab.loadResource("seed-pair", System::currentTimeMillis);
  final LabAdapters adapters = LabAdapters.start(lab);
  final ApprovalTrust trust = lab.identities().trust(false);
  final IdTokenVerifier verifier = lab.identities().verifier(false);
  final DecisionBinding binding =
      new DecisionBinding(
          "default",
          "abafix-remediation-contoso.onmicrosoft.com",
          "run-1",
          "DELETE_APPLICATIONS@directory",
          "plan-1",
          Map.of("deleteApplication", "object-1"),
          DecisionBinding.APPROVE);

  @AfterEach
  void close() {
    adapters.close();
  }

  @Test
  void authorizationCodeWithPkceOnALoopbackRedirect() throws Exception {
    EntraSignIn signIn =
        new EntraSignIn(
            trust,
            new LabBrowser(ApprovalTrust.AUTHORITY_HOST, adapters.entra().identityEndpoint()),
            adapters.entra().identityEndpoint());

    String token = signIn.sign(binding, "alice@contoso.onmicrosoft.com");

    VerifiedIdentity alice = verifier.verify(token, binding.nonce(), true);
    assertEquals("alice@contoso.onmicrosoft.com", alice.upn());
    assertEquals(lab.identities().tenantId(), alice.tenantId());
    DecisionBinding other = binding.forRun("default", binding.workflowId(), "run-2");
    assertThrows(ProofRefusedException.class, () -> verifier.verify(token, other.nonce(), true));
    assertTrue(
        adapters.entra().requests().stream().anyMatch(r -> r.path().endsWith("/authorize")),
        "the sign-in went through the authorization endpoint");
  }

  @Test
  void approveOffersNoDeviceCodeSignInWhoseTokenCouldNotCarryTheNonce() {
    CommandLineRun help = CommandLineRun.of("approve", "--help");
    assertEquals(0, help.exitCode(), help.err());
    assertFalse(help.out().contains("--device-code"), help.out());
    CommandLineRun refused =
        CommandLineRun.of(
            "approve", "abafix-remediation-x", "--gate", "PLAN", "--digest", "0", "--device-code");
    assertEquals(ErrorHandler.BAD_INPUT, refused.exitCode(), refused.err());
  }

  @Test
  void aLabUserThatDoesNotExistCannotSignIn() {
    EntraSignIn signIn =
        new EntraSignIn(
            trust,
            new LabBrowser(ApprovalTrust.AUTHORITY_HOST, adapters.entra().identityEndpoint()),
            adapters.entra().identityEndpoint());
    assertThrows(RuntimeException.class, () -> signIn.sign(binding, "mallory"));
  }
}
