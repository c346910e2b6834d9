package io.abafix.lab;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.abafix.lab.graph.TestCertificates;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A lab tenant's keys: its Entra ID's token-signing key and its directory worker's certificate,
 * each an RSA-2048 key made the first time it is needed (making one takes about a tenth of a second
 * of CPU).
 */
public final class LabKeys {
  private final Supplier<RSAKey> signing;
  private final Supplier<TestCertificates.TestCertificate> directoryWorker;

  private LabKeys(
      Supplier<RSAKey> signing, Supplier<TestCertificates.TestCertificate> directoryWorker) {
    this.signing = signing;
    this.directoryWorker = directoryWorker;
  }

  /** Keys of this tenant's own, as every lab has unless told otherwise. */
  public static LabKeys fresh() {
    return new LabKeys(
        once(LabKeys::newSigningKey),
        once(() -> TestCertificates.selfSigned("abafix-directory-lab")));
  }

  /** The lab's Entra ID signs its people's ID tokens and its workers' access tokens with this. */
  public RSAKey signingKey() {
    return signing.get();
  }

  /** The certificate the tenant's directory worker signs in to Graph with. */
  public TestCertificates.TestCertificate directoryWorker() {
    return directoryWorker.get();
  }

  /**
   * A few key sets, handed out in turn, for a process that makes hundreds of lab tenants and times
   * something else (the fleet benchmark): 500 tenants' own keys would take a minute of CPU to make.
   * Tenants that share a key set stay apart as tenants do: every token names its tenant and its
   * issuer, and each tenant's workers accept only their own.
   */
  public static Supplier<LabKeys> sharedAmong(int sets) {
    List<LabKeys> made = new ArrayList<>();
    for (int i = 0; i < sets; i++) made.add(fresh());
    AtomicInteger next = new AtomicInteger();
    return () -> made.get(Math.floorMod(next.getAndIncrement(), sets));
  }

  private static RSAKey newSigningKey() {
    try {
      return new RSAKeyGenerator(2048).keyID("lab-" + UUID.randomUUID()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the lab's signing key", e);
    }
  }

  /** Made on first use, once, whichever thread asks first. */
  private static <T> Supplier<T> once(Supplier<T> make) {
    return new Supplier<>() {
      private volatile T value;

      @Override
      public T get() {
        T v = value;
        if (v == null) {
          synchronized (this) {
            if (value == null) value = make.get();
            v = value;
          }
        }
        return v;
      }
    };
  }
}
