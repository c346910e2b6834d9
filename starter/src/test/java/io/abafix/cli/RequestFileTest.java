package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.StepName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code abafix remediate --request FILE}: what a well-formed file turns into. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RequestFileTest {
  @TempDir Path dir;

  @Test
  void every_field_of_a_request_is_read() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("request.json"),
            """
            {
              "tenant": "contoso.onmicrosoft.com",
              "servers": ["SERVERA", "SERVERB"],
              "credentialReference": "clixml:C:\\\\ProgramData\\\\abafix\\\\hia.xml",
              "credentialReferences": {"SERVERB": "clixml:D:\\\\hia.xml"},
              "dryRun": false,
              "approvals": {"required": true, "twoPerson": true, "timeoutSeconds": 3600},
              "timings": {"propagationWaitSeconds": 1200, "pollSeconds": 30,
                          "syncCycleWaitSeconds": 7200, "workerWaitSeconds": 600},
              "requestedBy": "alice",
              "operatorSteps": ["CONFIGURE_ABA"]
            }
            """);

    RemediationRequest r = RequestFile.read(file, false, false);

    assertEquals("contoso.onmicrosoft.com", r.tenant());
    assertEquals(List.of("SERVERA", "SERVERB"), r.servers());
    assertEquals("clixml:C:\\ProgramData\\abafix\\hia.xml", r.credentialReferenceFor("SERVERA"));
    assertEquals(Map.of("SERVERB", "clixml:D:\\hia.xml"), r.credentialReferences());
    assertEquals(new ApprovalPolicy(true, true, 3600), r.approvals());
    assertEquals(new Timings(1200, 30, 7200, 600), r.timings());
    assertEquals("alice", r.requestedBy());
    assertEquals(List.of(StepName.CONFIGURE_ABA), r.operatorSteps());
    assertFalse(r.dryRun());
  }

  @Test
  void a_request_that_says_little_gets_the_command_lines_defaults() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("request.json"),
            "{\"tenant\": \"contoso.onmicrosoft.com\", \"servers\": [\"SERVERA\"]}");

    RemediationRequest r = RequestFile.read(file, true, false);

    // Every step that needs a person: the wizard's two, and the revert (a stored credential).
    assertEquals(
        List.of(
            StepName.REVERT_TO_SERVICE_ACCOUNT,
            StepName.ROTATE_CERTIFICATE,
            StepName.CONFIGURE_ABA),
        r.operatorSteps());
    assertEquals(ApprovalPolicy.standard(), r.approvals());
    assertEquals(Timings.standard(), r.timings());
    assertTrue(r.dryRun(), "--dry-run makes any request a dry run");
  }

  @Test
  void two_person_on_the_command_line_makes_any_request_need_two_people() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("request.json"),
            """
            {"tenant": "contoso.onmicrosoft.com", "servers": ["SERVERA"],
             "approvals": {"required": true, "twoPerson": false, "timeoutSeconds": 60}}
            """);

    RemediationRequest r = RequestFile.read(file, false, true);

    assertEquals(new ApprovalPolicy(true, true, 60), r.approvals(), "--two-person is not dropped");
    assertFalse(r.dryRun());
    assertEquals(
        new ApprovalPolicy(true, false, 60),
        RequestFile.read(file, false, false).approvals(),
        "without it, the file's policy");
  }

  @Test
  void fields_abafix_sets_itself_are_refused_not_dropped() throws IOException {
    for (String field :
        List.of(
            "\"origin\": \"incident abafix-incident-x\"",
            "\"rehearsed\": {\"planDigest\": \"0\"}")) {
      Path file =
          Files.writeString(
              dir.resolve("request.json"),
              "{\"tenant\": \"contoso.onmicrosoft.com\", \"servers\": [\"SERVERA\"], "
                  + field
                  + "}");
      UserError e = assertThrows(UserError.class, () -> RequestFile.read(file, false, false));
      assertTrue(e.getMessage().contains("unknown field"), e.getMessage());
    }
  }

  @Test
  void a_request_cannot_switch_approval_off() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("request.json"),
            """
            {"tenant": "contoso.onmicrosoft.com", "servers": ["SERVERA"],
             "approvals": {"required": false, "twoPerson": false, "timeoutSeconds": 60}}
            """);

    UserError refused = assertThrows(UserError.class, () -> RequestFile.read(file, false, false));

    assertTrue(
        refused.getMessage().contains("approvals.required cannot be false"), refused.getMessage());
  }
}
