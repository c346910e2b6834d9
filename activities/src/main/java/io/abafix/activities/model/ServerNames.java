package io.abafix.activities.model;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates Entra Connect server names: Windows NetBIOS computer names. */
public final class ServerNames {
  // NetBIOS names allow more punctuation, but abafix also builds task-queue and account names from
  // them, so it accepts the subset that Windows Setup itself suggests: letters, digits, hyphens.
  private static final Pattern NETBIOS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,14}");

  private ServerNames() {}

  /**
   * Checks one name.
   *
   * @throws IllegalArgumentException with a message that says what to change
   */
  public static String check(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a server name is empty: name each Entra Connect server");
    }
    if (name.length() > 15) {
      throw new IllegalArgumentException(
          "server name '" + name + "' is longer than 15 characters: use its NetBIOS computer name");
    }
    if (!NETBIOS.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "server name '"
              + printable(name)
              + "' has characters a Windows computer name cannot have: use letters, digits and hyphens");
    }
    return name;
  }

  /** Checks a fleet: at least one server, each valid, none named twice (case-insensitively). */
  public static List<String> checkFleet(List<String> names) {
    if (names == null || names.isEmpty()) {
      throw new IllegalArgumentException("no server named: give at least one --server");
    }
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      check(n);
      if (!seen.add(n.toUpperCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "server " + n + " is named twice: name each server once");
      }
    }
    return List.copyOf(names);
  }

  private static String printable(String s) {
    return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
