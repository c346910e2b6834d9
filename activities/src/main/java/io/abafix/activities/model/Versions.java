package io.abafix.activities.model;

/** Dotted numeric versions, as PowerShell's {@code [version]} compares them. */
public final class Versions {
  private Versions() {}

  /** Compares two dotted versions; a missing part is 0 and a part that is not a number is 0. */
  public static int compare(String a, String b) {
    String[] x = a.trim().split("\\.");
    String[] y = b.trim().split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(part(x, i), part(y, i));
      if (c != 0) return c;
    }
    return 0;
  }

  /** Whether {@code version} is present and at least {@code minimum}. */
  public static boolean atLeast(String version, String minimum) {
    return version != null && !version.isBlank() && compare(version, minimum) >= 0;
  }

  private static int part(String[] parts, int i) {
    if (i >= parts.length) return 0;
    try {
      return Integer.parseInt(parts[i].trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
