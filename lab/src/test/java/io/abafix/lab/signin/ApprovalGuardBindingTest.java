package io.abafix.lab.signin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalLedger;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.ProofRefusedException;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.RunStart;
import io.abafix.activities.approval.StartedRun;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.approval.VerifiedApproval;
import io.abafix.activities.approval.VerifiedStart;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What a worker checks beyond the signature: each argument against the approval's binding, one act
 * per approval and step, the two-person rule from the signed start, and the run's own start.
 */
class ApprovalGuardBindingTest {
  static final String DOMAIN = "contoso.onmicrosoft.com";
  static final String WF = "abafix-remediation-" + DOMAIN;
  static final RunRef RUN = new RunRef("default", WF, "run-1");
  static final String REVERT = "REVERT_TO_SERVICE_ACCOUNT@SERVERA";
  static final String CREDENTIAL = "clixml:C:\\ProgramData\\abafix\\hia.xml";

  /** The lab's clock, which issues the tokens and which the workers check them against. */
  static final class Movable extends Clock {
    Instant at = Instant.now();

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return at;
    }
  }

  final Movable clock = new Movable();
  final LabIdentityProvider idp = new LabIdentityProvider(DOMAIN, clock);
  final Map<String, StartedRun> runs = new HashMap<>();
  RunStart start;
  Instant startedAt = clock.at;

  StartedRun started(String ns, String wf, String run) {
    StartedRun r = runs.get(run);
    return r != null ? r : new StartedRun(ns, wf, run, "run-1", startedAt, start, null, null);
  }

  final ApprovalLedger ledger = ApprovalLedger.inMemory();

  ApprovalGuard guard(boolean twoPerson) {
    return new ApprovalGuard(idp.verifier(twoPerson), ledger, this::started);
  }

  static ApprovalGuard.Scheduling scheduled(String activityId) {
    return new ApprovalGuard.Scheduling(RUN, activityId, 100L);
  }

  /** A PLAN decision binding the revert of SERVERA exactly, and listing SERVERA's pause. */
  static DecisionBinding plan() {
    Map<String, String> p = new TreeMap<>();
    p.put(REVERT + "/credentialReference", CREDENTIAL);
    p.put(REVERT + "/identityBefore", "Application abdc652a-160c-469e-b31a-70b29e8cf3a8");
    p.put(ProvenParameters.CHANGES, "PAUSE_SCHEDULER@SERVERA,RESUME_SCHEDULER@SERVERA");
    return new DecisionBinding(
        "default", WF, "run-1", "PLAN", "plan-1", p, DecisionBinding.APPROVE);
  }

  StepAuthorization signed(String user, DecisionBinding b) {
    return new StepAuthorization(null, ApprovalProof.of(idp.idToken(user, b.nonce()), b));
  }

  static String refusal(Runnable r) {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, r::run);
    assertEquals(FailureTypes.APPROVAL_REFUSED, f.getType(), f.getOriginalMessage());
    assertTrue(f.isNonRetryable());
    return f.getOriginalMessage();
  }

  @Test
  void everyArgumentTheStepIsGivenMustBeTheOneApproved() {
    ApprovalGuard g = guard(false);
    VerifiedApproval ok =
        g.authorize(
            signed("alice", plan()),
            scheduled("5"),
            REVERT,
            "SERVERA",
            Map.of("credentialReference", CREDENTIAL));
    assertEquals("Application abdc652a-160c-469e-b31a-70b29e8cf3a8", ok.bound("identityBefore"));

    String why =
        refusal(
            () ->
                g.authorize(
                    signed("alice", plan()),
                    scheduled("6"),
                    REVERT,
                    "SERVERA",
                    Map.of("credentialReference", "clixml:C:\\elsewhere.xml")));
    assertTrue(why.contains("credentialReference") && why.contains("elsewhere"), why);
  }

  @Test
  void thePlansChangesAuthoriseOnlyTheNonDestructiveStepsTheyList() {
    ApprovalGuard g = guard(false);
    g.authorize(
        signed("alice", plan()), scheduled("7"), "PAUSE_SCHEDULER@SERVERA", "SERVERA", Map.of());
    assertTrue(
        refusal(
                () ->
                    g.authorize(
                        signed("alice", plan()),
                        scheduled("8"),
                        "PAUSE_SCHEDULER@SERVERB",
                        "SERVERB",
                        Map.of()))
            .contains("does not bind"));
    // A destructive step is never authorised by the list, even if someone put it there.
    Map<String, String> p = new TreeMap<>(plan().parameters());
    p.put(ProvenParameters.CHANGES, "REGENERATE_MACHINE_ID@SERVERA");
    DecisionBinding listed =
        new DecisionBinding("default", WF, "run-1", "PLAN", "plan-1", p, DecisionBinding.APPROVE);
    assertTrue(
        refusal(
                () ->
                    g.authorize(
                        signed("alice", listed),
                        scheduled("9"),
                        "REGENERATE_MACHINE_ID@SERVERA",
                        "SERVERA",
                        Map.of()))
            .contains("does not bind"));
  }

  @Test
  void anApprovalActsOnceAnotherSchedulingIsRefusedARetryIsNot() {
    ApprovalGuard g = guard(false);
    Map<String, String> args = Map.of("credentialReference", CREDENTIAL);
    VerifiedApproval first =
        g.authorize(signed("alice", plan()), scheduled("5"), REVERT, "SERVERA", args);
    first.requireUnspent();
    // The same scheduled activity, retried: still its use.
    g.authorize(signed("alice", plan()), scheduled("5"), REVERT, "SERVERA", args).requireUnspent();
    // A copy scheduled again by anyone (same proof, same arguments): verified, but it may not act.
    VerifiedApproval copy =
        g.authorize(signed("alice", plan()), scheduled("11"), REVERT, "SERVERA", args);
    String why = refusal(copy::requireUnspent);
    assertTrue(why.contains("already used") && why.contains("activity 5"), why);
  }

  @Test
  void aCompensationHasOneUseOfItsOwnAndOnlyAStepThatUndoesMayClaimIt() {
    ApprovalGuard g = guard(false);
    String resume = "RESUME_SCHEDULER@SERVERA";
    g.authorizeUndo(signed("alice", plan()), scheduled("20"), resume, "SERVERA", Map.of())
        .requireUnspent();
    g.authorizeUndo(
            signed("alice", plan()).forCompensation(), scheduled("21"), resume, "SERVERA", Map.of())
        .requireUnspent();
    VerifiedApproval third =
        g.authorizeUndo(
            signed("alice", plan()).forCompensation(),
            scheduled("22"),
            resume,
            "SERVERA",
            Map.of());
    refusal(third::requireUnspent);
    // A revert undoes nothing: a "compensation" of it is refused before anything.
    assertTrue(
        refusal(
                () ->
                    g.authorize(
                        signed("alice", plan()).forCompensation(),
                        scheduled("23"),
                        REVERT,
                        "SERVERA",
                        Map.of("credentialReference", CREDENTIAL)))
            .contains("undoes nothing"));
  }

  @Test
  void aDestructiveStepNeedsASignInValidNowAChangeActsUnderThePlansApprovalForTheRun() {
    ApprovalGuard g = guard(false);
    StepAuthorization early = signed("alice", plan());
    clock.at = clock.at.plus(Duration.ofHours(2));
    assertTrue(
        refusal(
                () ->
                    g.authorize(
                        early,
                        scheduled("30"),
                        REVERT,
                        "SERVERA",
                        Map.of("credentialReference", CREDENTIAL)))
            .contains("expired"));
    g.authorize(early, scheduled("31"), "RESUME_SCHEDULER@SERVERA", "SERVERA", Map.of());
  }

  /** The requester's start, signed at {@code at}. */
  RunStart signedStart(String user, boolean twoPerson) {
    RunStart s = RunStart.unsigned("start-1", twoPerson);
    return s.signedWith(
        idp.idToken(user, RunStart.binding("default", WF, "start-1", twoPerson).nonce()),
        "default",
        WF);
  }

  @Test
  void theTwoPersonRuleTheRequesterSignedHoldsOnAWorkerWithoutTheFlag() {
    start = signedStart("alice", true);
    ApprovalGuard g = guard(false);
    String why =
        refusal(
            () ->
                g.authorize(
                    signed("alice", plan()),
                    scheduled("40"),
                    REVERT,
                    "SERVERA",
                    Map.of("credentialReference", CREDENTIAL)));
    assertTrue(why.contains("two-person rule") && why.contains("alice@"), why);
    VerifiedApproval bob =
        g.authorize(
            signed("bob", plan()),
            scheduled("41"),
            REVERT,
            "SERVERA",
            Map.of("credentialReference", CREDENTIAL));
    assertEquals("alice@" + DOMAIN, bob.requester().upn());
  }

  @Test
  void aStartSignedHoursBeforeTheApprovalStillCounts() {
    start = signedStart("carol", true);
    startedAt = clock.at;
    clock.at = clock.at.plus(Duration.ofHours(2)); // carol's token expired an hour ago
    VerifiedApproval v =
        guard(true)
            .authorize(
                signed("alice", plan()),
                scheduled("50"),
                REVERT,
                "SERVERA",
                Map.of("credentialReference", CREDENTIAL));
    assertEquals("carol@" + DOMAIN, v.requester().upn());
    assertEquals("alice@" + DOMAIN, v.approver().upn());
  }

  @Test
  void aStartTheServerRecordedAfterItsSignInExpiredDoesNotCount() {
    start = signedStart("carol", true);
    startedAt = clock.at.plus(Duration.ofHours(2)); // replayed into a run started later
    clock.at = startedAt;
    String why =
        refusal(
            () ->
                guard(true)
                    .authorize(
                        signed("alice", plan()),
                        scheduled("51"),
                        REVERT,
                        "SERVERA",
                        Map.of("credentialReference", CREDENTIAL)));
    assertTrue(why.contains("expired"), why);
  }

  @Test
  void aStartInputReplayedIntoAnotherRunIsRefusedAtItsPreflight() throws Exception {
    start = signedStart("carol", false);
    ApprovalGuard g = guard(false);
    VerifiedStart first = g.claimStart(RUN);
    assertEquals("carol@" + DOMAIN, first.requester().upn());
    g.claimStart(RUN); // the same run again (a retry): still its own start
    runs.put(
        "run-2", new StartedRun("default", WF, "run-2", "run-2", startedAt, start, null, null));
    ProofRefusedException replayed =
        assertThrows(
            ProofRefusedException.class, () -> g.claimStart(new RunRef("default", WF, "run-2")));
    assertTrue(replayed.getMessage().contains("already used by run run-1"), replayed.getMessage());
    start = null;
    runs.put("run-3", new StartedRun("default", WF, "run-3", "run-3", startedAt, null, null, null));
    assertTrue(
        assertThrows(
                ProofRefusedException.class, () -> g.claimStart(new RunRef("default", WF, "run-3")))
            .getMessage()
            .contains("no start record"));
  }

  @Test
  void anIncidentsRemediationHasTheProposalsApproverAsRequester() throws Exception {
    String incident = "abafix-incident-" + DOMAIN;
    DecisionBinding proposal =
        new DecisionBinding(
            "default",
            incident,
            "inc-1",
            "PROPOSAL",
            "p",
            Map.of("workflows", WF),
            DecisionBinding.APPROVE);
    RunStart child =
        new RunStart(
            "inc-1/" + WF,
            true,
            ApprovalProof.of(idp.idToken("alice", proposal.nonce()), proposal),
            incident);
    runs.put(
        "inc-1",
        new StartedRun("default", incident, "inc-1", "inc-1", startedAt, null, null, null));
    runs.put(
        "run-1",
        new StartedRun("default", WF, "run-1", "run-1", startedAt, child, incident, "inc-1"));
    ApprovalGuard g = guard(false);
    assertEquals("alice@" + DOMAIN, g.claimStart(RUN).requester().upn());
    assertTrue(
        refusal(
                () ->
                    g.authorize(
                        signed("alice", plan()),
                        scheduled("60"),
                        REVERT,
                        "SERVERA",
                        Map.of("credentialReference", CREDENTIAL)))
            .contains("two-person rule"));
    g.authorize(
        signed("bob", plan()),
        scheduled("61"),
        REVERT,
        "SERVERA",
        Map.of("credentialReference", CREDENTIAL));
    // The same start in a run no incident started: the server's record says who the parent is.
    RunStart copied = new RunStart("inc-1/other", true, child.signed(), incident);
    runs.put(
        "run-9", new StartedRun("default", WF, "run-9", "run-9", startedAt, copied, null, null));
    String why =
        assertThrows(
                ProofRefusedException.class, () -> g.claimStart(new RunRef("default", WF, "run-9")))
            .getMessage();
    assertTrue(why.contains("the server says no workflow did"), why);
  }

  @Test
  void withoutAStartNoTwoPersonRunAcceptsAnApproval() {
    assertNull(start);
    String why =
        refusal(
            () ->
                guard(true)
                    .authorize(
                        signed("bob", plan()),
                        scheduled("70"),
                        REVERT,
                        "SERVERA",
                        Map.of("credentialReference", CREDENTIAL)));
    assertTrue(why.contains("no signed start"), why);
  }

  @Test
  void aResetRunOfTheChainKeepsItsApprovalsButCannotActTwiceOnOne() {
    ApprovalGuard g = guard(false);
    Map<String, String> args = Map.of("credentialReference", CREDENTIAL);
    g.authorize(signed("alice", plan()), scheduled("5"), REVERT, "SERVERA", args).requireUnspent();
    // temporal workflow reset: a new run, the same first run of the chain.
    runs.put("run-2", new StartedRun("default", WF, "run-2", "run-1", startedAt, null, null, null));
    ApprovalGuard.Scheduling afterReset =
        new ApprovalGuard.Scheduling(new RunRef("default", WF, "run-2"), "5", 900L);
    VerifiedApproval again =
        g.authorize(signed("alice", plan()), afterReset, REVERT, "SERVERA", args);
    assertEquals("alice@" + DOMAIN, again.approver().upn(), "the approval still verifies");
    assertTrue(refusal(again::requireUnspent).contains("already used"));
    g.authorize(signed("alice", plan()), afterReset, "PAUSE_SCHEDULER@SERVERA", "SERVERA", Map.of())
        .requireUnspent();
  }
}
