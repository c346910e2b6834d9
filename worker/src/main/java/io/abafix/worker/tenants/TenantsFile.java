package io.abafix.worker.tenants;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.TenantRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < tenants.size(); i++) {
      Tenant t = tenants.get(i);
      if (t == null) throw new IllegalArgumentException("tenants[" + i + "] is null");
      if (seen.putIfAbsent(t.key(), t.id()) != null) {
        throw new IllegalArgumentException(
            "tenants[" + i + "].id: tenant " + t.id() + " is listed twice");
      }
    }
    for (int i = 0; i < tenants.size(); i++) {
      Tenant t = tenants.get(i);
      for (int a = 0; a < t.aliases().size(); a++) {
        String alias = t.aliases().get(a);
        String other = seen.putIfAbsent(TaskQueues.tenantKey(alias), t.id());
        if (other != null) {
          throw new IllegalArgumentException(
              "tenants[" + i + "].aliases[" + a + "]: " + alias + " already names tenant " + other);
        }
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

  /**
   * The tenant requests name {@code tenant} by its id or one of its aliases (compared as queue
   * keys: case-insensitively).
   */
  public Optional<Tenant> find(String tenant) {
    String key;
    try {
      key = TaskQueues.tenantKey(tenant);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return tenants.stream().filter(t -> t.names().contains(key)).findFirst();
  }

  /**
   * The id of the tenant a person named {@code typed} (its id or one of its aliases, in any case),
   * as the file spells it: what a run's workflow id and queues are built from.
   *
   * @throws IllegalArgumentException naming what the file lists, when no tenant has that name
   */
  public String canonical(String typed) {
    return find(typed)
        .map(Tenant::id)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "tenant "
                        + typed
                        + " is not in the tenants file, which lists "
                        + String.join(
                            ", ",
                            tenants.stream()
                                .map(
                                    t ->
                                        t.aliases().isEmpty()
                                            ? t.id()
                                            : t.id()
                                                + " (also "
                                                + String.join(", ", t.aliases())
                                                + ")")
                                .toList())));
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
