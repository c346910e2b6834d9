package io.abafix.workflows.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.context.ActivitySerializationContext;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The payload codec fails closed, binds each payload to its workflow, and guards its keys. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class AesGcmPayloadCodecTest {
  private static final WorkflowSerializationContext RUN_A =
      new WorkflowSerializationContext("default", "abafix-remediation-a.onmicrosoft.com");
  private static final WorkflowSerializationContext RUN_B =
      new WorkflowSerializationContext("default", "abafix-remediation-b.onmicrosoft.com");

  @TempDir Path dir;

  private Path keyFile(String name) throws Exception {
    Path file = dir.resolve(name);
    SecretFiles.createOwnerOnly(
        file, PayloadEncryption.newKeyBase64().getBytes(StandardCharsets.US_ASCII));
    return file;
  }

  private AesGcmPayloadCodec codec(Map<String, String> env) {
    return PayloadEncryption.fromEnvironment(env::get);
  }

  private static Payload plain(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(json))
        .build();
  }

  @Test
  void a_payload_round_trips_within_its_workflow_and_its_activities() throws Exception {
    AesGcmPayloadCodec codec = codec(Map.of(PayloadEncryption.KEY_FILE, keyFile("k").toString()));
    Payload sealed = codec.withContext(RUN_A).encode(List.of(plain("\"approve\""))).get(0);
    var activity =
        new ActivitySerializationContext(
            "default",
            RUN_A.getWorkflowId(),
            "SharedAppRemediationWorkflow",
            "DeleteApplication",
            "abafix-directory",
            false);
    assertEquals(
        "\"approve\"",
        codec.withContext(activity).decode(List.of(sealed)).get(0).getData().toStringUtf8());
  }

  @Test
  void a_plaintext_payload_is_refused_with_a_clear_error() throws Exception {
    AesGcmPayloadCodec codec = codec(Map.of(PayloadEncryption.KEY_FILE, keyFile("k").toString()));
    RefusedPayloadException e =
        assertThrows(
            RefusedPayloadException.class,
            () -> codec.withContext(RUN_A).decode(List.of(plain("{\"approved\":true}"))));
    assertTrue(e.getMessage().contains("not encrypted"), e.getMessage());
    assertTrue(e.getMessage().contains(PayloadEncryption.ACCEPT_PLAINTEXT), e.getMessage());

    // The documented option lets it through, for histories written before encryption.
    AesGcmPayloadCodec lenient =
        codec(
            Map.of(
                PayloadEncryption.KEY_FILE,
                keyFile("k2").toString(),
                PayloadEncryption.ACCEPT_PLAINTEXT,
                "true"));
    assertEquals(
        "{\"approved\":true}",
        lenient
            .withContext(RUN_A)
            .decode(List.of(plain("{\"approved\":true}")))
            .get(0)
            .getData()
            .toStringUtf8());
  }

  @Test
  void a_payload_from_run_a_does_not_decode_in_run_b() throws Exception {
    AesGcmPayloadCodec codec = codec(Map.of(PayloadEncryption.KEY_FILE, keyFile("k").toString()));
    Payload fromA = codec.withContext(RUN_A).encode(List.of(plain("\"approve\""))).get(0);
    RefusedPayloadException e =
        assertThrows(
            RefusedPayloadException.class, () -> codec.withContext(RUN_B).decode(List.of(fromA)));
    assertTrue(e.getMessage().contains("copied from another run"), e.getMessage());

    // Relabelling it as B's does not help: the label is authenticated.
    Payload relabelled =
        fromA.toBuilder()
            .putMetadata(
                AesGcmPayloadCodec.BOUND_TO,
                ByteString.copyFromUtf8("default/" + RUN_B.getWorkflowId()))
            .build();
    assertThrows(
        RefusedPayloadException.class, () -> codec.withContext(RUN_B).decode(List.of(relabelled)));
  }

  /**
   * The SDK drops a signal whose payload cannot be read only when reading it throws a {@link
   * DataConverterException}; any other exception fails every workflow task of the run. So each
   * refusal, as the data converter passes it on, is one, and says nothing of the payload's
   * contents.
   */
  @Test
  void every_refused_payload_is_a_data_converter_exception_without_its_contents() throws Exception {
    AesGcmPayloadCodec codec = codec(Map.of(PayloadEncryption.KEY_FILE, keyFile("k").toString()));
    AesGcmPayloadCodec otherKey =
        codec(
            Map.of(
                PayloadEncryption.KEY_FILE,
                keyFile("other").toString(),
                PayloadEncryption.KEY_ID,
                "other"));
    AesGcmPayloadCodec sameIdOtherKey =
        codec(Map.of(PayloadEncryption.KEY_FILE, keyFile("same-id").toString()));
    DataConverter converter = PayloadEncryption.dataConverter(codec).withContext(RUN_A);
    String secret = "forged reason from SERVERA";
    Payload sealed = codec.withContext(RUN_A).encode(List.of(plain("\"" + secret + "\""))).get(0);
    byte[] flipped = sealed.getData().toByteArray();
    flipped[flipped.length - 1] ^= 1;
    Map<String, Payload> refused =
        Map.of(
            "plaintext",
            plain("\"" + secret + "\""),
            "another key id",
            otherKey.withContext(RUN_A).encode(List.of(plain("\"" + secret + "\""))).get(0),
            "another key under the same id",
            sameIdOtherKey.withContext(RUN_A).encode(List.of(plain("\"" + secret + "\""))).get(0),
            "tampered",
            sealed.toBuilder().setData(ByteString.copyFrom(flipped)).build(),
            "sealed for another workflow",
            codec.withContext(RUN_B).encode(List.of(plain("\"" + secret + "\""))).get(0));
    refused.forEach(
        (what, payload) -> {
          DataConverterException e =
              assertThrows(
                  DataConverterException.class,
                  () -> converter.fromPayload(payload, String.class, String.class),
                  what);
          assertTrue(e instanceof RefusedPayloadException, what + ": " + e);
          for (Throwable t = e; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), what + ": " + t);
          }
        });
    assertEquals(secret, converter.fromPayload(sealed, String.class, String.class));
  }

  @Test
  void a_data_converter_with_the_codec_binds_through_with_context() throws Exception {
    DataConverter converter =
        PayloadEncryption.dataConverter(
            codec(Map.of(PayloadEncryption.KEY_FILE, keyFile("k").toString())));
    Payload sealed = converter.withContext(RUN_A).toPayload("approve").orElseThrow();
    assertEquals(
        "approve", converter.withContext(RUN_A).fromPayload(sealed, String.class, String.class));
    assertThrows(
        Exception.class,
        () -> converter.withContext(RUN_B).fromPayload(sealed, String.class, String.class));
  }

  @Test
  void two_keys_with_one_id_are_refused() throws Exception {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                codec(
                    Map.of(
                        PayloadEncryption.KEY_FILE,
                        keyFile("new").toString(),
                        PayloadEncryption.KEY_ID,
                        "2026",
                        PayloadEncryption.PREVIOUS_KEY_FILES,
                        "2026=" + keyFile("old"))));
    assertTrue(e.getMessage().contains("two payload keys have the id '2026'"), e.getMessage());
  }

  @Test
  void a_key_file_others_can_read_is_refused() throws Exception {
    Path file = keyFile("k");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> codec(Map.of(PayloadEncryption.KEY_FILE, file.toString())));
    assertTrue(e.getMessage().contains("readable by others"), e.getMessage());
    assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
  }

  @Test
  void an_inline_key_in_the_environment_is_refused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> codec(Map.of("ABAFIX_ENCRYPTION_KEY", PayloadEncryption.newKeyBase64())));
    assertTrue(e.getMessage().contains(PayloadEncryption.KEY_FILE), e.getMessage());
  }

  @Test
  void a_key_file_is_created_owner_only_and_never_overwritten() throws Exception {
    Path file = keyFile("k");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertThrows(
        java.nio.file.FileAlreadyExistsException.class,
        () -> SecretFiles.createOwnerOnly(file, new byte[] {1}));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
    }
  }
}
