package io.abafix.worker.tenants;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.TenantRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tenants of one deployment: a JSON file, {@code {"tenants": [ ... ]}}, each entry a {@link
 * Tenant}. Loading is strict, as for scenarios and requests: an unknown field, a duplicate key,
 * trailing text, a bad value or a tenant listed twice is refused with one line naming the field and
 * its line in the file.
 *
 * @param tenants in the order the file lists them
 */
public record TenantsFile(List<Tenant> tenants) {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  public TenantsFile {
    if (tenants == null || tenants.isEmpty()) {
      throw new IllegalArgumentException("tenants: the file lists no tenant");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tenants.size(); i++) {
      Tenant t = tenants.get(i);
      if (t == null) throw new IllegalArgumentException("tenants[" + i + "] is null");
      if (!seen.add(t.key())) {
        throw new IllegalArgumentException(
            "tenants[" + i + "].id: tenant " + t.id() + " is listed twice");
      }
    }
    tenants = List.copyOf(tenants);
  }

  /** Thrown for a file that cannot be read or is refused; its message is one line. */
  public static final class TenantsFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TenantsFileException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static TenantsFile load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new TenantsFileException("tenants file " + file + ": cannot read it: " + e, e);
    }
    return parse(text, file.toString());
  }

  /**
   * @param origin where the text came from, for messages
   */
  public static TenantsFile parse(String json, String origin) {
    try {
      TenantsFile file = MAPPER.readValue(json, TenantsFile.class);
      if (file == null) throw new TenantsFileException("tenants file " + origin + ": empty", null);
      return file;
    } catch (JsonProcessingException e) {
      throw new TenantsFileException("tenants file " + origin + ": " + describe(e), e);
    }
  }

  /** The tenant requests name {@code tenant} (compared as queue keys: case-insensitively). */
  public Optional<Tenant> find(String tenant) {
    String key;
    try {
      key = io.abafix.activities.TaskQueues.tenantKey(tenant);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return tenants.stream().filter(t -> t.key().equals(key)).findFirst();
  }

  /**
   * The orchestrator's incident rules from this file: each listed tenant's, and for a tenant the
   * file does not list, every proposal attended.
   */
  public IncidentRules incidentRules() {
    return IncidentRules.of(
        tenant -> find(tenant).map(t -> t.policy().incidentRules()).orElse(TenantRules.attended()));
  }

  /** One line: the field's path, what is wrong, and the line of the file. */
  private static String describe(JsonProcessingException e) {
    String line =
        e.getLocation() != null && e.getLocation().getLineNr() > 0
            ? " (line " + e.getLocation().getLineNr() + ")"
            : "";
    if (e instanceof UnrecognizedPropertyException u) {
      String parent = path(u.getPath().subList(0, Math.max(0, u.getPath().size() - 1)));
      return (parent.isEmpty() ? "" : parent + ": ")
          + "unknown field '"
          + u.getPropertyName()
          + "'"
          + line;
    }
    String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
    String at = path.isEmpty() ? "" : path + ": ";
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return at + v.getCause().getMessage() + line;
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) message = message.substring(0, newline);
    message = message.replaceAll(" \\(start marker at \\[Source: [^]]*]\\)", "");
    return at + message + line;
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }
}
