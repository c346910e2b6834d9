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
import io.abafix.activities.approval.ApprovalLedger;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.RunStart;
import io.abafix.activities.approval.StartedRun;
import io.abafix.activities.approval.StartedRuns;
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

  static final ApprovalGuard.Scheduling SCHEDULED = new ApprovalGuard.Scheduling(RUN, "7", 100L);
  static final String DELETE = "DELETE_APPLICATIONS@directory";

  final LabIdentityProvider idp = new LabIdentityProvider(DOMAIN, Clock.systemUTC());

  /** How the server recorded the run's start: changed by the tests of starts. */
  RunStart start;

  Instant startedAt = Instant.now();
  String parentWorkflowId;
  final Map<String, StartedRun> parents = new java.util.HashMap<>();

  final StartedRuns runs =
      (ns, wf, run) ->
          parents.containsKey(wf)
              ? parents.get(wf)
              : new StartedRun(ns, wf, run, "run-1", startedAt, start, parentWorkflowId, "p-run");

  ApprovalGuard guard(boolean twoPerson) {
    return new ApprovalGuard(idp.verifier(twoPerson), ApprovalLedger.inMemory(), runs);
  }

  final ApprovalGuard guard = guard(false);
  final ApprovalGuard twoPerson = guard(true);

  VerifiedApproval authorize(ApprovalGuard g, StepAuthorization proofs, String object) {
    return g.authorize(proofs, SCHEDULED, DELETE, object, Map.of());
  }

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
        assertThrows(ApplicationFailure.class, () -> authorize(g, proofs, target));
    assertEquals(FailureTypes.APPROVAL_REFUSED, f.getType());
    assertTrue(f.isNonRetryable());
    return f.getOriginalMessage();
  }

  @Test
  void aValidProofAuthorisesTheStepAndNamesTheVerifiedApprover() {
    VerifiedApproval v = authorize(guard, approvedBy("alice", BINDING), APP);
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
  void aProofForAnotherStepDoesNotCoverThisOne() {
    ApplicationFailure f =
        assertThrows(
            ApplicationFailure.class,
            () ->
                guard.authorize(
                    approvedBy("alice", BINDING),
                    SCHEDULED,
                    "REVERT_TO_SERVICE_ACCOUNT@SERVERA",
                    "SERVERA",
                    Map.of()));
    assertTrue(f.getOriginalMessage().contains("does not bind"), f.getOriginalMessage());
  }

  /** The requester's signed start, as {@code abafix remediate} puts it into the start input. */
  RunStart signedStart(String user, boolean twoPerson) {
    RunStart s = RunStart.unsigned("start-1", twoPerson);
    DecisionBinding b = RunStart.binding(RUN.namespace(), RUN.workflowId(), "start-1", twoPerson);
    return s.signedWith(idp.idToken(user, b.nonce()), RUN.namespace(), RUN.workflowId());
  }

  @Test
  void theRequesterCannotApproveUnderTwoPerson() {
    start = signedStart("alice", false);
    assertTrue(refusal(twoPerson, approvedBy("alice", BINDING), APP).contains("two-person"));
    start = null;
    assertTrue(refusal(twoPerson, approvedBy("bob", BINDING), APP).contains("no signed start"));
    start = signedStart("alice", false);
    VerifiedApproval v = authorize(twoPerson, approvedBy("bob", BINDING), APP);
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
            Clock.systemUTC()),
        ApprovalLedger.inMemory(),
        runs);
  }

  @Test
  void underAnApproversGroupOnlyItsMembersWithTheRoleApprove() {
    ApprovalGuard g = groupGuard();
    VerifiedApproval v = authorize(g, approvedBy("alice", BINDING), APP);
    assertEquals("alice@" + DOMAIN, v.approver().upn());

    // bob holds the role but is not in the group
    assertTrue(
        refusal(g, approvedBy("bob", BINDING), APP)
            .contains("is not a member of the approvers' group " + idp.approversGroupId()));
    // without the group check bob approves: the group is what refuses him
    authorize(guard, approvedBy("bob", BINDING), APP);
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
