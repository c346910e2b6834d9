package io.abafix.workflows.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.abafix.workflows.plan.Plan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a plan's JSON: what an approver's signed decision names the plan by. */
public final class PlanDigest {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private PlanDigest() {}

  public static String of(Plan plan) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(JSON.writeValueAsString(plan).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest the plan", e);
    }
  }
}
