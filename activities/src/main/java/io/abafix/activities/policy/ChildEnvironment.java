package io.abafix.activities.policy;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment a script's process gets: only what Windows PowerShell (or a stand-in on another
 * system) needs to start and find its modules. Everything else the worker has, such as {@code
 * TEMPORAL_API_KEY}, the payload key file's location or a PFX password variable, stays in the
 * worker.
 */
public final class ChildEnvironment {
  /** Names compared without case, as Windows does. */
  public static final Set<String> ALLOWED =
      Set.of(
          "SYSTEMROOT",
          "WINDIR",
          "SYSTEMDRIVE",
          "COMSPEC",
          "PATH",
          "PATHEXT",
          "PSMODULEPATH",
          "TEMP",
          "TMP",
          "TMPDIR",
          "USERPROFILE",
          "USERNAME",
          "USERDOMAIN",
          "COMPUTERNAME",
          "PROGRAMDATA",
          "PROGRAMFILES",
          "PROGRAMFILES(X86)",
          "PROGRAMW6432",
          "COMMONPROGRAMFILES",
          "COMMONPROGRAMFILES(X86)",
          "COMMONPROGRAMW6432",
          "APPDATA",
          "LOCALAPPDATA",
          "ALLUSERSPROFILE",
          "PROCESSOR_ARCHITECTURE",
          "NUMBER_OF_PROCESSORS",
          "OS",
          "HOME",
          "LANG",
          "LC_ALL");

  private ChildEnvironment() {}

  /** Removes from {@code env} (a {@link ProcessBuilder#environment()}) every name not allowed. */
  public static void restrict(Map<String, String> env) {
    env.keySet().removeIf(name -> !ALLOWED.contains(name.toUpperCase(Locale.ROOT)));
  }
}
