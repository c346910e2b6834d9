package io.abafix.activities.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text a script or a library wrote (stderr, error messages) before it is kept
 * in facts, the audit, the history or a log: JSON Web Tokens (access tokens, client assertions),
 * long base64 runs (keys, certificates, PFX blobs), PEM blocks, and {@code password=}-like pairs.
 * Best effort by shape: the scripts never print a secret on purpose; this catches what a cmdlet
 * echoes by accident.
 */
public final class Redaction {
  /** What replaces a secret. */
  public static final String MARK = "[redacted]";

  private static final List<Pattern> SHAPES =
      List.of(
          Pattern.compile("-----BEGIN [A-Z0-9 ]+-----[\\s\\S]*?(?:-----END [A-Z0-9 ]+-----|\\z)"),
          // header.payload.signature, each base64url; headers start with {" = eyJ.
          Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*"),
          Pattern.compile("(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{16,}"),
          // Long base64 or base64url runs: 40+ characters with a digit and a letter past F (so
          // neither a word nor a hex thumbprint, which the audit keeps).
          Pattern.compile(
              "(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*[0-9])(?=[A-Za-z0-9+/_-]*[G-Zg-z+/_])"
                  + "[A-Za-z0-9+/_-]{40,}={0,2}"));

  /** key=value and key: value, for keys that name a secret. */
  private static final Pattern PAIR =
      Pattern.compile(
          "(?i)\\b((?:[a-z_-]*)(?:password|passwd|pwd|secret|token|api[_-]?key|client[_-]?assertion"
              + "|private[_-]?key)[a-z_-]*)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;,&]+)");

  private Redaction() {}

  public static String redact(String text) {
    if (text == null || text.isEmpty()) return text;
    String out =
        PAIR.matcher(text).replaceAll(m -> m.group(1) + m.group(2).replace("\\", "\\\\") + MARK);
    for (Pattern p : SHAPES) out = p.matcher(out).replaceAll(MARK);
    return out;
  }
}
