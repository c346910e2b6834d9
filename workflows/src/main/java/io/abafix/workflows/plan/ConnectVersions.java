package io.abafix.workflows.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.model.Versions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an Entra Connect Sync version means for application-based authentication, from the table in
 * {@code connect-versions.json} beside this class. Pure: the time to judge dates against is always
 * the caller's ({@code Workflow.currentTimeMillis()} in workflows), never the wall clock.
 */
public final class ConnectVersions {
  /** What a row of the table says about its version. */
  public enum Meaning {
    /** The first version with application-based authentication. */
    ABA_AVAILABLE,
    /** From this version a server on a service account switches itself to ABA. */
    AUTOMATIC_SWITCH,
    /** Versions below this one stop syncing after the row's date. */
    SYNC_STOPS_BELOW,
    /** From this version Synchronization Service Manager no longer clears the ABA parameters. */
    PARAMETER_WIPE_FIXED,
    /** From this version existing servers are no longer switched to ABA automatically. */
    NO_AUTOMATIC_SWITCH,
    /** Support for exactly this version ends on the row's date. */
    END_OF_SUPPORT
  }

  /** What the table says about one server's version. */
  public enum Verdict {
    /** The version is missing or not a dotted number: no rule applies. */
    UNKNOWN_VERSION,
    /** Too old for application-based authentication. */
    NO_ABA,
    /** Below the required version, and its date has passed: sync has stopped. */
    SYNC_STOPPED,
    /** Below the required version; its date is still ahead. */
    SYNC_WILL_STOP,
    /** Support has ended. */
    PAST_END_OF_SUPPORT,
    /** Saving the Entra connector in Synchronization Service Manager clears the ABA parameters. */
    PARAMETERS_CLEARED_ON_SAVE,
    /** Saving the connector no longer clears them; those already blank still need the repair. */
    PARAMETERS_KEPT_ON_SAVE,
    /** A server on a service account switches itself to ABA within six hours. */
    SWITCHES_ITSELF_TO_ABA,
    /** A server on a service account stays on it until ABA is configured. */
    NO_AUTOMATIC_SWITCH
  }

  /**
   * One row of the table.
   *
   * @param date the day it takes effect (UTC), or null
   * @param status {@code documented} (the source says it) or {@code second-hand}
   */
  public record Row(
      String version, LocalDate date, Meaning meaning, String text, String source, String status) {}

  /**
   * One verdict for one version, with the row it rests on.
   *
   * @param line one sentence for a person
   */
  public record Note(Verdict verdict, Row row, String line) {}

  private static final Pattern VERSION = Pattern.compile("\\d{1,9}(\\.\\d{1,9}){1,3}");
  private static final Set<Meaning> ONCE =
      Set.of(
          Meaning.ABA_AVAILABLE,
          Meaning.AUTOMATIC_SWITCH,
          Meaning.SYNC_STOPS_BELOW,
          Meaning.PARAMETER_WIPE_FIXED,
          Meaning.NO_AUTOMATIC_SWITCH);
  private static final Set<String> STATUSES = Set.of("documented", "second-hand");
  private static final String RESOURCE = "connect-versions.json";
  private static final ConnectVersions SHIPPED = load();

  private final Map<Meaning, Row> single;
  private final List<Row> endOfSupport;

  private ConnectVersions(Map<Meaning, Row> single, List<Row> endOfSupport) {
    this.single = single;
    this.endOfSupport = endOfSupport;
  }

  /** The table shipped with abafix. */
  public static ConnectVersions table() {
    return SHIPPED;
  }

  /**
   * Reads a table. Every problem in it is an {@link IllegalArgumentException} naming the row: a
   * table that says something else than it seems to must never be half used.
   */
  public static ConnectVersions parse(String json) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("the version table is not JSON: " + e.getMessage(), e);
    }
    JsonNode rows = root == null ? null : root.get("rows");
    if (rows == null || !rows.isArray() || rows.isEmpty()) {
      throw new IllegalArgumentException("the version table has no rows");
    }
    Map<Meaning, Row> single = new EnumMap<>(Meaning.class);
    List<Row> endOfSupport = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = row(rows.get(i), i);
      if (row.meaning() == Meaning.END_OF_SUPPORT) {
        endOfSupport.add(row);
      } else if (single.put(row.meaning(), row) != null) {
        throw new IllegalArgumentException("row " + i + ": " + row.meaning() + " is listed twice");
      }
    }
    for (Meaning m : ONCE) {
      if (!single.containsKey(m)) {
        throw new IllegalArgumentException("the version table has no " + m + " row");
      }
    }
    endOfSupport.sort(Comparator.comparing(Row::version, Versions::compare));
    return new ConnectVersions(single, List.copyOf(endOfSupport));
  }

  /** Everything the table says about {@code version} at {@code nowMillis}, in table order. */
  public List<Note> assess(String version, long nowMillis) {
    List<Note> notes = new ArrayList<>();
    if (version == null || !VERSION.matcher(version.strip()).matches()) {
      notes.add(
          new Note(
              Verdict.UNKNOWN_VERSION,
              null,
              "the Entra Connect version is "
                  + (version == null ? "unknown" : "'" + version + "'")
                  + ": the version rules were not applied"));
      return notes;
    }
    String v = version.strip();
    Row aba = single.get(Meaning.ABA_AVAILABLE);
    if (below(v, aba)) notes.add(new Note(Verdict.NO_ABA, aba, v + ": " + aba.text()));

    Row required = single.get(Meaning.SYNC_STOPS_BELOW);
    if (below(v, required)) {
      boolean passed = after(nowMillis, required.date());
      notes.add(
          new Note(
              passed ? Verdict.SYNC_STOPPED : Verdict.SYNC_WILL_STOP,
              required,
              v
                  + (passed ? " no longer syncs: " : " will stop syncing: ")
                  + required.text()
                  + "; upgrade to "
                  + required.version()
                  + " or later"));
    }

    // Support of a version ends when that of the next listed one does at the latest: its successor
    // cannot have shipped later than the listed one's.
    for (Row eos : endOfSupport) {
      if (Versions.compare(eos.version(), v) < 0) continue;
      if (after(nowMillis, eos.date())) {
        boolean exact = Versions.compare(eos.version(), v) == 0;
        notes.add(
            new Note(
                Verdict.PAST_END_OF_SUPPORT,
                eos,
                v
                    + " is past its end of support: "
                    + eos.text()
                    + (exact ? "" : ", and no later than that for an older version")));
      }
      break;
    }

    Row wipe = single.get(Meaning.PARAMETER_WIPE_FIXED);
    notes.add(
        below(v, wipe)
            ? new Note(
                Verdict.PARAMETERS_CLEARED_ON_SAVE,
                wipe,
                v
                    + " clears the ABA parameters when the Entra connector is saved in"
                    + " Synchronization Service Manager ("
                    + wipe.version()
                    + " and later do not)")
            : new Note(Verdict.PARAMETERS_KEPT_ON_SAVE, wipe, v + ": " + wipe.text()));

    Row automatic = single.get(Meaning.AUTOMATIC_SWITCH);
    Row noAutomatic = single.get(Meaning.NO_AUTOMATIC_SWITCH);
    if (!below(v, noAutomatic)) {
      notes.add(new Note(Verdict.NO_AUTOMATIC_SWITCH, noAutomatic, v + ": " + noAutomatic.text()));
    } else if (!below(v, automatic)) {
      notes.add(new Note(Verdict.SWITCHES_ITSELF_TO_ABA, automatic, v + ": " + automatic.text()));
    }
    return notes;
  }

  /** The notes of {@link #assess} with this verdict, or none. */
  public List<Note> assess(String version, long nowMillis, Verdict verdict) {
    return assess(version, nowMillis).stream().filter(n -> n.verdict() == verdict).toList();
  }

  private static boolean below(String version, Row row) {
    return Versions.compare(version, row.version()) < 0;
  }

  /** Whether {@code nowMillis} is past the whole of {@code day} (UTC). */
  private static boolean after(long nowMillis, LocalDate day) {
    return nowMillis >= day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static Row row(JsonNode n, int i) {
    String where = "row " + i;
    String version = text(n, "version", where);
    if (!VERSION.matcher(version).matches()) {
      throw new IllegalArgumentException(where + ": version " + version + " is not a version");
    }
    Meaning meaning;
    try {
      meaning = Meaning.valueOf(text(n, "meaning", where));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": unknown meaning " + n.get("meaning"), e);
    }
    LocalDate date = null;
    JsonNode d = n.get("date");
    if (d != null && !d.isNull()) {
      try {
        date = LocalDate.parse(d.asText());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(where + ": date " + d + " is not YYYY-MM-DD", e);
      }
    }
    if (date == null
        && (meaning == Meaning.SYNC_STOPS_BELOW || meaning == Meaning.END_OF_SUPPORT)) {
      throw new IllegalArgumentException(where + ": " + meaning + " needs a date");
    }
    String source = text(n, "source", where);
    if (!source.startsWith("https://learn.microsoft.com/")) {
      throw new IllegalArgumentException(where + ": source must be a learn.microsoft.com page");
    }
    String status = text(n, "status", where);
    if (!STATUSES.contains(status)) {
      throw new IllegalArgumentException(where + ": status must be documented or second-hand");
    }
    return new Row(version, date, meaning, text(n, "text", where), source, status);
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw new IllegalArgumentException(where + ": no " + field);
    }
    return v.asText().strip();
  }

  private static ConnectVersions load() {
    try (InputStream in = ConnectVersions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
