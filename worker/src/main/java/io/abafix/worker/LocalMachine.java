package io.abafix.worker;

import java.util.Locale;
import java.util.function.Function;

/**
 * What the worker reads about the machine it runs on: the operating system and the environment.
 * Tests pass their own.
 *
 * @param osName the {@code os.name} system property
 * @param environment looks up an environment variable; null when it is not set
 */
record LocalMachine(String osName, Function<String, String> environment) {

  static LocalMachine current() {
    return new LocalMachine(System.getProperty("os.name", ""), System::getenv);
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
