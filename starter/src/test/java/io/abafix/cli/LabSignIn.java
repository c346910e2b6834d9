package io.abafix.cli;

import java.net.URI;
import picocli.CommandLine;

/**
 * The {@code abafix} command line for the lab, in the tests only: every command that signs a person
 * in does so at the lab's fake Entra ID on loopback, as the lab user {@code --as} names. The
 * production command line has no option for this.
 */
final class LabSignIn implements CommandLine.IFactory {
  private final URI identityEndpoint;
  private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

  private LabSignIn(URI identityEndpoint) {
    this.identityEndpoint = identityEndpoint;
  }

  static LabSignIn at(URI identityEndpoint) {
    return new LabSignIn(identityEndpoint);
  }

  static LabSignIn at(String identityEndpoint) {
    return at(URI.create(identityEndpoint));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <K> K create(Class<K> cls) throws Exception {
    if (cls == SignInOptions.class) return (K) SignInOptions.atLab(identityEndpoint);
    return defaults.create(cls);
  }
}
