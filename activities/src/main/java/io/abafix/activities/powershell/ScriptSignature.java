package io.abafix.activities.powershell;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A script's Authenticode signature block, as {@code Set-AuthenticodeSignature} appends it: the
 * lines from {@code # SIG # Begin signature block} to {@code # SIG # End signature block} at the
 * end of the file. Everything before it is the body the signature covers.
 */
final class ScriptSignature {
  static final String BEGIN = "# SIG # Begin signature block";
  static final String END = "# SIG # End signature block";

  private ScriptSignature() {}

  /**
   * Whether {@code onDisk} is {@code shipped}, or {@code shipped} with a signature block appended
   * and nothing else changed (only the line break before the block may differ).
   */
  static boolean sameBody(byte[] onDisk, byte[] shipped) {
    if (Arrays.equals(onDisk, shipped)) return true;
    String text = new String(onDisk, StandardCharsets.UTF_8);
    int begin = text.lastIndexOf(BEGIN);
    if (begin < 0 || (begin > 0 && text.charAt(begin - 1) != '\n')) return false;
    String block = text.substring(begin).stripTrailing();
    if (!block.endsWith(END)) return false;
    for (String line : block.split("\r?\n")) {
      if (!line.startsWith("# ")) return false; // the block holds comment lines only
    }
    return trimLineBreaks(text.substring(0, begin))
        .equals(trimLineBreaks(new String(shipped, StandardCharsets.UTF_8)));
  }

  private static String trimLineBreaks(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
    return s.substring(0, end);
  }
}
