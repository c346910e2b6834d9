package io.abafix.lab.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.approval.VerifiedApproval;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The worker's checks on a signed approval, one refusal reason at a time. */
class ApprovalGuardTest {
  static final String DOMAIN = "contoso.onmicrosoft.com";
  static final RunRef RUN = new RunRef("default", "abafix-remediation-" + DOMAIN, "run-1");
  static final String APP = "0a1b2c3d-0000-4000-8000-000000000001";

  final LabIdentityProvider idp = new LabIdentityProvider(DOMAIN, Clock.systemUTC());
  final ApprovalGuard guard = idp.guard(false);
  final ApprovalGuard twoPerson = idp.guard(true);

  static DecisionBinding deletion(RunRef run, String gate, String plan, String... objectIds) {
    return new DecisionBinding(
        run.namespace(),
        run.workflowId(),
        run.runId(),
        gate,
        plan,
        Map.of(ProvenParameters.DELETE_APPLICATION, String.join(",", objectIds)),
        DecisionBinding.APPROVE);
  }

  static final DecisionBinding BINDING =
      deletion(RUN, "DELETE_APPLICATIONS@directory", "plan-1", APP);

  StepAuthorization approvedBy(String user, DecisionBinding binding) {
    return new StepAuthorization(
        null, ApprovalProof.of(idp.idToken(user, binding.nonce()), binding));
  }

  StepAuthorization withClaims(UnaryOperator<JWTClaimsSet.Builder> change) {
    String token =
        idp.sign(change.apply(idp.claims(idp.requireUser("alice"), BINDING.nonce())).build());
    return new StepAuthorization(null, ApprovalProof.of(token, BINDING));
  }

  String refusal(ApprovalGuard g, StepAuthorization proofs, String target) {
    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () -> g.authorize(proofs, RUN, ProvenParameters.DELETE_APPLICATION, target));
    assertEquals(FailureTypes.APPROVAL_REFUSED, f.getType());
    assertTrue(f.isNonRetryable());
    return f.getOriginalMessage();
  }

  @Test
  void aValidProofAuthorisesTheStepAndNamesTheVerifiedApprover() {
    VerifiedApproval v =
        guard.authorize(
            approvedBy("alice", BINDING), RUN, ProvenParameters.DELETE_APPLICATION, APP);
    assertEquals("alice@" + DOMAIN, v.approver().upn());
    assertEquals(idp.requireUser("alice").objectId(), v.approver().objectId());
    assertEquals(idp.tenantId(), v.approver().tenantId());
    assertEquals(List.of(APP), v.values(ProvenParameters.DELETE_APPLICATION));
    assertNull(v.requester());
  }

  @Test
  void aTokenSignedByAnotherKeyIsRefused() {
    LabIdentityProvider impostor = new LabIdentityProvider(DOMAIN, Clock.systemUTC());
    StepAuthorization forged =
        new StepAuthorization(
            null, ApprovalProof.of(impostor.idToken("alice", BINDING.nonce()), BINDING));
    assertTrue(refusal(guard, forged, APP).contains("signature does not verify"));
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String none =
        new PlainJWT(idp.claims(idp.requireUser("alice"), BINDING.nonce()).build()).serialize();
    StepAuthorization p = new StepAuthorization(null, ApprovalProof.of(none, BINDING));
    assertTrue(refusal(guard, p, APP).contains("not signed"));
  }

  @Test
  void hs256KeyedWithThePublicKeyIsRefused() throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(idp.publicKey().getKeyID()).build(),
            idp.claims(idp.requireUser("alice"), BINDING.nonce()).build());
    jwt.sign(new MACSigner(idp.publicKey().toRSAPublicKey().getEncoded()));
    StepAuthorization p = new StepAuthorization(null, ApprovalProof.of(jwt.serialize(), BINDING));
    assertTrue(refusal(guard, p, APP).contains("not RS256"));
  }

  @Test
  void wrongIssuerAudienceOrTenantIsRefused() {
    assertTrue(
        refusal(
                guard,
                withClaims(b -> b.issuer("https://sts.windows.net/" + idp.tenantId() + "/")),
                APP)
            .contains("issuer"));
    assertTrue(
        refusal(guard, withClaims(b -> b.audience("00000003-0000-0000-c000-000000000000")), APP)
            .contains("audience"));
    assertTrue(
        refusal(
                guard,
                withClaims(b -> b.claim("tid", LabIdentityProvider.tenantIdFor("fabrikam.com"))),
                APP)
            .contains("tenant"));
  }

  @Test
  void anExpiredTokenIsRefused() {
    Instant hourAgo = Instant.now().minusSeconds(3600);
    assertTrue(
        refusal(
                guard,
                withClaims(
                    b ->
                        b.issueTime(Date.from(hourAgo.minusSeconds(600)))
                            .notBeforeTime(Date.from(hourAgo.minusSeconds(600)))
                            .expirationTime(Date.from(hourAgo))),
                APP)
            .contains("expired"));
  }

  @Test
  void aNonceMadeForAnotherRunGatePlanOrParametersIsRefused() {
    RunRef otherRun = new RunRef(RUN.namespace(), RUN.workflowId(), "run-2");
    DecisionBinding[] others = {
      deletion(otherRun, BINDING.gate(), "plan-1", APP),
      deletion(RUN, "REVERT_TO_SERVICE_ACCOUNT@SERVERA", "plan-1", APP),
      deletion(RUN, BINDING.gate(), "plan-2", APP),
      deletion(RUN, BINDING.gate(), "plan-1", "0a1b2c3d-0000-4000-8000-000000000002"),
    };
    for (DecisionBinding signed : others) {
      // The token was made for `signed`; the step claims BINDING.
      String token = idp.idToken("alice", signed.nonce());
      StepAuthorization p = new StepAuthorization(null, ApprovalProof.of(token, BINDING));
      assertTrue(refusal(guard, p, APP).contains("nonce"), signed.toString());
    }
  }

  @Test
  void aProofForOtherParametersDoesNotCoverThisTarget() {
    String other = "0a1b2c3d-0000-4000-8000-000000000002";
    assertTrue(
        refusal(guard, approvedBy("alice", BINDING), other).contains("not deleteApplication"));
  }

  @Test
  void theRequesterCannotApproveUnderTwoPerson() {
    String startToken =
        idp.idToken(
            "alice", DecisionBinding.start(RUN.namespace(), RUN.workflowId(), RUN.runId()).nonce());
    ApprovalProof start =
        ApprovalProof.of(
            startToken, DecisionBinding.start(RUN.namespace(), RUN.workflowId(), RUN.runId()));
    ApprovalProof aliceApproves = ApprovalProof.of(idp.idToken("alice", BINDING.nonce()), BINDING);
    assertTrue(
        refusal(twoPerson, new StepAuthorization(start, aliceApproves), APP)
            .contains("two-person"));
    assertTrue(
        refusal(twoPerson, new StepAuthorization(null, aliceApproves), APP).contains("requester"));
    ApprovalProof bobApproves = ApprovalProof.of(idp.idToken("bob", BINDING.nonce()), BINDING);
    VerifiedApproval v =
        twoPerson.authorize(
            new StepAuthorization(start, bobApproves),
            RUN,
            ProvenParameters.DELETE_APPLICATION,
            APP);
    assertEquals("bob@" + DOMAIN, v.approver().upn());
    assertEquals("alice@" + DOMAIN, v.requester().upn());
  }

  @Test
  void anApproverWithoutTheRoleIsRefused() {
    assertTrue(refusal(guard, approvedBy("carol", BINDING), APP).contains("Abafix.Approver"));
  }

  @Test
  void aTypedNameOrNoProofIsRefused() {
    assertTrue(
        refusal(guard, new StepAuthorization(null, ApprovalProof.of("alice", BINDING)), APP)
            .contains("not a JWT"));
    assertTrue(refusal(guard, StepAuthorization.none(), APP).contains("no signed approval"));
    assertTrue(refusal(guard, null, APP).contains("no signed approval"));
  }

  @Test
  void aSignedRejectionIsNotAnApproval() {
    DecisionBinding reject =
        new DecisionBinding(
            RUN.namespace(),
            RUN.workflowId(),
            RUN.runId(),
            BINDING.gate(),
            "plan-1",
            BINDING.parameters(),
            DecisionBinding.REJECT);
    assertTrue(refusal(guard, approvedBy("alice", reject), APP).contains("REJECT"));
  }

  /** The guard of a tenant whose approvers are the role's holders in one group. */
  ApprovalGuard groupGuard() {
    ApprovalTrust role = idp.trust(false);
    return new ApprovalGuard(
        new IdTokenVerifier(
            new ApprovalTrust(
                role.tenantId(),
                role.clientId(),
                role.approverRole(),
                idp.approversGroupId(),
                false),
            idp.keySource(),
            Clock.systemUTC()));
  }

  @Test
  void underAnApproversGroupOnlyItsMembersWithTheRoleApprove() {
    ApprovalGuard g = groupGuard();
    VerifiedApproval v =
        g.authorize(approvedBy("alice", BINDING), RUN, ProvenParameters.DELETE_APPLICATION, APP);
    assertEquals("alice@" + DOMAIN, v.approver().upn());

    // bob holds the role but is not in the group
    assertTrue(
        refusal(g, approvedBy("bob", BINDING), APP)
            .contains("is not a member of the approvers' group " + idp.approversGroupId()));
    // without the group check bob approves: the group is what refuses him
    guard.authorize(approvedBy("bob", BINDING), RUN, ProvenParameters.DELETE_APPLICATION, APP);
  }

  @Test
  void aTokenThatLeftItsGroupsOutIsRefusedWithHowToFixIt() {
    String token =
        idp.sign(
            idp.claims(idp.requireUser("alice"), BINDING.nonce())
                .claim("groups", null)
                .claim("_claim_names", Map.of("groups", "src1"))
                .build());
    assertTrue(
        refusal(groupGuard(), new StepAuthorization(null, ApprovalProof.of(token, BINDING)), APP)
            .contains("too many groups"));
  }
}
