package io.abafix.cli.report;

/** Escaping for text and attribute values: everything the journal holds goes through here. */
final class Html {
  private Html() {}

  /** {@code s} safe as element text and as a quoted attribute value; null becomes empty. */
  static String esc(String s) {
    if (s == null) return "";
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // Control characters (an escape sequence in a script's stderr) are shown, not passed on.
          if (c < 0x20 && c != '\n' && c != '\t')
            b.append("\\u").append(String.format("%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.toString();
  }
}
