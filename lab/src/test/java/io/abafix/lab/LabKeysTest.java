package io.abafix.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.lab.signin.LabIdentityProvider;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class LabKeysTest {
  static final String CONTOSO = "contoso.onmicrosoft.com";
  static final String FABRIKAM = "fabrikam.onmicrosoft.com";

  static DecisionBinding deletion(String domain) {
    RunRef run = new RunRef("default", "abafix-remediation-" + domain, "run-1");
    return new DecisionBinding(
        run.namespace(),
        run.workflowId(),
        run.runId(),
        "DELETE_APPLICATIONS@directory",
        "plan-1",
        Map.of(ProvenParameters.DELETE_APPLICATION, "0a1b2c3d-0000-4000-8000-000000000001"),
        DecisionBinding.APPROVE);
  }

  @Test
  void a_shared_key_set_is_handed_out_in_turn() {
    Supplier<LabKeys> keys = LabKeys.sharedAmong(2);
    LabKeys first = keys.get();
    LabKeys second = keys.get();

    assertNotEquals(first, second);
    assertSame(first, keys.get());
    assertSame(first.signingKey(), first.signingKey(), "a key is made once");
  }

  @Test
  void tenants_that_share_keys_still_cannot_approve_for_each_other() {
    LabKeys shared = LabKeys.sharedAmong(1).get();
    LabIdentityProvider contoso =
        new LabIdentityProvider(CONTOSO, Clock.systemUTC(), shared::signingKey);
    LabIdentityProvider fabrikam =
        new LabIdentityProvider(FABRIKAM, Clock.systemUTC(), shared::signingKey);
    assertEquals(contoso.publicKey(), fabrikam.publicKey(), "the very same signing key");

    DecisionBinding binding = deletion(FABRIKAM);
    ApprovalGuard fabrikamWorkers =
        fabrikam.guard(
            false,
            (ns, wf, r) ->
                new io.abafix.activities.approval.StartedRun(
                    ns, wf, r, r, java.time.Instant.now(), null, null, null));
    RunRef run = new RunRef("default", "abafix-remediation-" + FABRIKAM, "run-1");
    String target = "0a1b2c3d-0000-4000-8000-000000000001";

    // Fabrikam's own approver passes; Contoso's, signed with the same key, does not.
    fabrikamWorkers.authorize(
        new StepAuthorization(
            null, ApprovalProof.of(fabrikam.idToken("alice", binding.nonce()), binding)),
        new ApprovalGuard.Scheduling(run, "1", 1L),
        "DELETE_APPLICATIONS@directory",
        target,
        java.util.Map.of());
    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class,
            () ->
                fabrikamWorkers.authorize(
                    new StepAuthorization(
                        null, ApprovalProof.of(contoso.idToken("alice", binding.nonce()), binding)),
                    new ApprovalGuard.Scheduling(run, "1", 1L),
                    "DELETE_APPLICATIONS@directory",
                    target,
                    java.util.Map.of()));
    assertEquals(FailureTypes.APPROVAL_REFUSED, refused.getType());
    assertTrue(refused.isNonRetryable());
  }
}
