package io.abafix.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the worker reads about the machine it runs on: the operating system and the environment.
 * Tests pass their own.
 *
 * @param osName the {@code os.name} system property
 * @param environment looks up an environment variable; null when it is not set
 */
record LocalMachine(
    String osName, Function<String, String> environment, Function<String, Path> files) {

  /** The files of this machine's own file system. */
  LocalMachine(String osName, Function<String, String> environment) {
    this(osName, environment, Path::of);
  }

  static LocalMachine current() {
    return new LocalMachine(System.getProperty("os.name", ""), System::getenv);
  }

  private static final java.util.regex.Pattern WINDOWS_ABSOLUTE =
      java.util.regex.Pattern.compile("(?:[A-Za-z]:\\\\|\\\\\\\\[^\\\\]+\\\\).*");

  /** The file {@code path} names on this machine. */
  Path file(String path) {
    return files.apply(path);
  }

  /** Whether {@code path} is a file this process can read. */
  boolean readable(String path) {
    Path f = file(path);
    return Files.isRegularFile(f) && Files.isReadable(f);
  }

  /** Whether {@code path} is a file this process can run. */
  boolean executable(String path) {
    Path f = file(path);
    return Files.isRegularFile(f) && Files.isExecutable(f);
  }

  /**
   * Whether {@code path} is absolute on this machine: on Windows a drive letter and a backslash, or
   * a UNC path ({@code java.nio} on another system would call {@code C:\x} relative).
   */
  boolean isAbsolute(String path) {
    if (path == null) return false;
    return isWindows() ? WINDOWS_ABSOLUTE.matcher(path).matches() : Path.of(path).isAbsolute();
  }

  boolean isWindows() {
    return osName.toLowerCase(Locale.ROOT).startsWith("windows");
  }

  /** The NetBIOS computer name Windows sets in {@code COMPUTERNAME}; null elsewhere. */
  String computerName() {
    return env("COMPUTERNAME");
  }

  /** An environment variable, or null when it is not set or blank. */
  String env(String name) {
    String value = environment.apply(name);
    return value == null || value.isBlank() ? null : value;
  }
}
