package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.abafix.lab.Lab;
import io.abafix.lab.powershell.FakePowerShellRunner;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.codec.SecretFiles;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A full remediation with canaries planted everywhere a secret lives: the Hybrid Identity
 * Administrator password in each server's credential store, the payload key (in its file), a PFX
 * password (in the test's environment, set by the build), the directory worker's private key, the
 * access tokens and client assertions the directory worker exchanges with the fake Entra ID (JWTs),
 * and a script that prints a token and a password to stderr. None may appear outside where it lives
 * (history as stored and decrypted, logs, audit, terminal), and the history must be unreadable
 * without the payload key. What child processes inherit is checked with a real process by {@code
 * ScriptOutputSecretsTest} in the activities module.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SecretsStayOnTheServerTest {
  private static final String CANARY = "Canary-Pa55w0rd-7f3c91e2";
  private static final String REFERENCE =
      "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";
  private static final String ADMIN = "hia@contoso.onmicrosoft.com";

  @org.junit.jupiter.api.io.TempDir Path keys;

  /** {@code json/plain}, base64, as a history's JSON shows it. */
  private static final String PLAIN = "anNvbi9wbGFpbg==";

  @Test
  void a_full_remediation_leaves_the_secret_on_the_servers_and_history_encrypted()
      throws Exception {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    lab.setPassword(ADMIN, CANARY);
    for (String server : lab.serverNames()) lab.storeCredential(server, REFERENCE, ADMIN, CANARY);

    String payloadKey = PayloadEncryption.newKeyBase64();
    Path keyFile = keys.resolve("payload.key");
    SecretFiles.createOwnerOnly(keyFile, payloadKey.getBytes(StandardCharsets.US_ASCII));
    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment(
            Map.of(PayloadEncryption.KEY_FILE, keyFile.toString())::get);

    StringWriter terminal = new StringWriter();
    String id;
    String rawHistory;
    List<String> audit;
    List<String> decryptedPayloads = new ArrayList<>();
    String workerPrivateKey;
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        DemoEnvironment env = DemoEnvironment.startAgainst(lab, temporal.address(), codec)) {
      env.adapters().runner("SERVERB").behave(FakePowerShellRunner.Behaviour.SECRETS_ON_STDERR);
      workerPrivateKey = pemBody(Files.readString(env.adapters().directoryWorkerPem()));
      WorkflowClient client = env.client();
      id =
          RemediateCommand.start(
              client,
              new RemediationRequest(
                  lab.tenantDomain(),
                  lab.serverNames(),
                  REFERENCE,
                  null,
                  false,
                  new ApprovalPolicy(true, false, 600),
                  new Timings(60, 1, 60, 30),
                  "alice"));
      RemediationResult result =
          new RunFollower(
                  client,
                  id,
                  new PrintWriter(terminal),
                  env.approver("bob"),
                  Duration.ofMillis(100))
              .follow();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());

      rawHistory = client.fetchHistory(id).toJson(true);
      List<AuditEntry> entries =
          client.newWorkflowStub(SharedAppRemediationWorkflow.class, id).audit();
      audit = AuditExport.lines(entries);
      decryptedPayloads.addAll(decryptAll(rawHistory, env.codec()));

      // A client without the key cannot read the run: its payloads do not decode.
      WorkflowClient keyless = WorkflowClient.newInstance(client.getWorkflowServiceStubs());
      assertThrows(
          Exception.class,
          () -> keyless.newWorkflowStub(SharedAppRemediationWorkflow.class, id).audit());
    }

    String logs =
        Files.exists(Path.of("target/abafix-test.log"))
            ? Files.readString(Path.of("target/abafix-test.log"))
            : "";
    Map<String, String> places =
        Map.of(
            "history (as stored)", rawHistory,
            "history (decrypted)", String.join("\n", decryptedPayloads),
            "audit export", String.join("\n", audit),
            "terminal", terminal.toString(),
            "log file", logs);
    Map<String, String> canaries = new java.util.LinkedHashMap<>();
    canaries.put("the administrator's password", CANARY);
    canaries.put("the payload key", payloadKey);
    canaries.put("the PFX password", requiredEnv("ABAFIX_PFX_PASSWORD"));
    canaries.put("the directory worker's private key", workerPrivateKey.substring(100, 164));
    canaries.put("a token a script printed", FakePowerShellRunner.CANARY_TOKEN);
    canaries.put("a password a script printed", FakePowerShellRunner.CANARY_PASSWORD);
    places.forEach(
        (where, text) ->
            canaries.forEach(
                (what, canary) ->
                    assertFalse(text.contains(canary), what + " is in the " + where)));
    // Access tokens and client assertions are JWTs: none may be anywhere. The one JWT a run
    // carries by design is an approver's ID token, bound by its nonce to one decision, which the
    // workers verify: it may be in the (encrypted) history, and nowhere else.
    java.util.regex.Pattern jwt =
        java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.(eyJ[A-Za-z0-9_-]{4,})\\.");
    places.forEach(
        (where, text) -> {
          var m = jwt.matcher(text);
          while (m.find()) {
            String claims =
                new String(
                    java.util.Base64.getUrlDecoder().decode(m.group(1)),
                    java.nio.charset.StandardCharsets.UTF_8);
            boolean approverIdToken =
                claims.contains("\"nonce\"")
                    && claims.contains(
                        "\"" + io.abafix.lab.signin.LabIdentityProvider.ABAFIX_CLIENT_ID + "\"");
            assertTrue(
                approverIdToken && where.startsWith("history"),
                "a JWT is in the " + where + (approverIdToken ? " (an approver's)" : ""));
          }
        });
    // The script did print: what it printed is kept, redacted.
    assertTrue(String.join("\n", audit).contains("[redacted]"), "stderr kept, redacted");

    // The decrypted history is what the run did; the stored one shows none of it.
    assertTrue(String.join("\n", decryptedPayloads).contains("ConnectSyncProvisioning_SERVERA"));
    assertTrue(decryptedPayloads.size() > 20, "payloads found: " + decryptedPayloads.size());
    for (String marker :
        List.of("ConnectSyncProvisioning_", "Sync_SERVERA", "hybrid-identity-admin", "contoso")) {
      assertFalse(
          decodedDataOf(rawHistory).contains(marker),
          "stored history shows '" + marker + "' in clear");
    }
  }

  private static String requiredEnv(String name) {
    String value = System.getenv(name);
    assertTrue(value != null && value.contains("canary"), name + " is set by the build");
    return value;
  }

  private static String pemBody(String pem) {
    int key = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    assertTrue(key >= 0, "the PEM holds a private key");
    return pem.substring(key + 27).replaceAll("\\s", "").replace("-----ENDPRIVATEKEY-----", "");
  }

  /** Every payload in a history, decrypted with the codec, as text. */
  private static List<String> decryptAll(String historyJson, AesGcmPayloadCodec codec)
      throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode payload : payloads(new ObjectMapper().readTree(historyJson))) {
      Payload.Builder p = Payload.newBuilder();
      payload
          .path("metadata")
          .fields()
          .forEachRemaining(
              f ->
                  p.putMetadata(
                      f.getKey(),
                      ByteString.copyFrom(Base64.getDecoder().decode(f.getValue().asText()))));
      p.setData(ByteString.copyFrom(Base64.getDecoder().decode(payload.path("data").asText(""))));
      Payload plain = codec.decode(List.of(p.build())).get(0);
      out.add(plain.getData().toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * The stored payload bytes of a history, decoded from base64 as text (what a reader without the
   * key sees).
   */
  private static String decodedDataOf(String historyJson) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (JsonNode payload : payloads(new ObjectMapper().readTree(historyJson))) {
      sb.append(
          new String(
              Base64.getDecoder().decode(payload.path("data").asText("")),
              StandardCharsets.ISO_8859_1));
    }
    return sb.toString();
  }

  private static List<JsonNode> payloads(JsonNode node) {
    List<JsonNode> found = new ArrayList<>();
    collect(node, found);
    return found;
  }

  private static void collect(JsonNode node, List<JsonNode> found) {
    // Search attributes (such as TemporalChangeVersion) are indexed by the server: never encoded.
    if (node.isObject() && node.has("indexedFields")) return;
    // The SDK writes a marker's bookkeeping (change id, version, activity type) in plain JSON
    // itself; what the workflow put there (a local activity's result) is encrypted.
    if (node.isObject() && node.has("markerName")) {
      node.path("details")
          .elements()
          .forEachRemaining(
              d ->
                  d.path("payloads")
                      .elements()
                      .forEachRemaining(
                          p -> {
                            if (!p.path("metadata").path("encoding").asText().equals(PLAIN)) {
                              found.add(p);
                            }
                          }));
      return;
    }
    // Headers bypass the codec: the only one abafix writes is the step's tenant, as a digest.
    if (node.isObject() && node.has("header") && node.path("header").has("fields")) {
      node.path("header")
          .path("fields")
          .fields()
          .forEachRemaining(
              h -> {
                assertEquals(io.abafix.activities.tenant.StepTenant.HEADER, h.getKey());
                String data =
                    new String(
                        Base64.getDecoder().decode(h.getValue().path("data").asText()),
                        StandardCharsets.UTF_8);
                assertTrue(data.matches("\"sha256:[0-9a-f]{64}\""), "a tenant in clear: " + data);
              });
      node.fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("header")) collect(f.getValue(), found);
              });
      return;
    }
    if (node.isObject() && node.has("metadata") && node.path("metadata").has("encoding")) {
      found.add(node);
      return;
    }
    node.elements().forEachRemaining(child -> collect(child, found));
  }
}
