package io.abafix.workflows.incident;

import java.util.List;

/**
 * One thing the diagnosis found.
 *
 * @param severity {@code ERROR} (sync is or will be interrupted) or {@code WARNING} (a risk)
 * @param servers the servers it concerns, in fleet order
 * @param summary one line
 * @param evidence the facts it rests on, one line each
 * @param recommendation what to do, in words (names the abafix command where there is one)
 * @param remedy the workflow that fixes it, or {@link Remedy#NONE}
 */
public record Finding(
    FindingKind kind,
    String severity,
    List<String> servers,
    String summary,
    List<String> evidence,
    String recommendation,
    Remedy remedy) {

  public static final String ERROR = "ERROR";
  public static final String WARNING = "WARNING";

  public Finding {
    servers = List.copyOf(servers);
    evidence = List.copyOf(evidence);
  }
}
