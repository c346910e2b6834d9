package io.abafix.workflows.audit;

import io.abafix.workflows.codec.SecretFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The orchestrator's audit signing key (Ed25519): made by {@code abafix keygen --audit-signing},
 * read from {@code ABAFIX_AUDIT_SIGNING_KEY_FILE} (PKCS#8 PEM, readable by its owner only), and the
 * signer the orchestrator registers for {@link AuditSigningActivities}.
 */
public final class AuditSigning implements AuditSigningActivities {
  public static final String KEY_FILE = "ABAFIX_AUDIT_SIGNING_KEY_FILE";
  public static final String ALGORITHM = "Ed25519";

  private final PrivateKey privateKey;
  private final String keyId;

  private AuditSigning(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.keyId = keyId(publicKey);
  }

  /** The signer for a key pair (the demo's throwaway one, or one read from a file). */
  public static AuditSigning of(KeyPair pair) {
    return new AuditSigning(pair.getPrivate(), pair.getPublic());
  }

  /**
   * The signer configured by {@code ABAFIX_AUDIT_SIGNING_KEY_FILE}.
   *
   * @throws IllegalArgumentException saying what to set, when it is missing, unreadable, readable
   *     by others or not an Ed25519 private key
   */
  public static AuditSigning fromEnvironment(Function<String, String> env) {
    String file = env.apply(KEY_FILE);
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException(
          "no audit signing key: set "
              + KEY_FILE
              + " to a key made by 'abafix keygen --audit-signing FILE' (the orchestrator signs"
              + " every run's journal with it)");
    }
    Path path = Path.of(file);
    SecretFiles.requireOwnerOnly(path, "audit signing key");
    try {
      PrivateKey key =
          KeyFactory.getInstance(ALGORITHM)
              .generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(path), "PRIVATE KEY")));
      return new AuditSigning(key, publicKeyOf(key));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the audit signing key " + path, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the audit signing key " + path + " is not an Ed25519 private key in PKCS#8 PEM", e);
    }
  }

  @Override
  public SignedDigest sign(AuditDigest digest) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(privateKey);
      s.update(digest.canonical().getBytes(StandardCharsets.UTF_8));
      return new SignedDigest(
          digest, keyId, ALGORITHM, Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the audit digest", e);
    }
  }

  /** Whether {@code signed} carries a valid signature by {@code publicKey}. */
  public static boolean verifies(SignedDigest signed, PublicKey publicKey) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(publicKey);
      s.update(signed.digest().canonical().getBytes(StandardCharsets.UTF_8));
      return s.verify(Base64.getDecoder().decode(signed.signature()));
    } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  public static KeyPair newKeyPair() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
    }
  }

  public static String privateKeyPem(PrivateKey key) {
    return toPem("PRIVATE KEY", key.getEncoded());
  }

  public static String publicKeyPem(PublicKey key) {
    return toPem("PUBLIC KEY", key.getEncoded());
  }

  /**
   * Reads a public key file (PEM, as {@code abafix keygen --audit-signing} writes it).
   *
   * @throws IllegalArgumentException when it is not an Ed25519 public key
   */
  public static PublicKey readPublicKey(Path file) {
    try {
      return KeyFactory.getInstance(ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(pem(Files.readString(file), "PUBLIC KEY")));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the public key " + file, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + " is not an Ed25519 public key in PEM (abafix keygen --audit-signing)", e);
    }
  }

  /** SHA-256 of the public key's X.509 encoding, hex. */
  public static String keyId(PublicKey key) {
    return AuditChain.sha256(HexFormat.of().formatHex(key.getEncoded()));
  }

  private static PublicKey publicKeyOf(PrivateKey key) throws GeneralSecurityException {
    // The JDK derives an Ed25519 public key only while generating; regenerate from the seed.
    byte[] seed =
        KeyFactory.getInstance(ALGORITHM).getKeySpec(key, EdECPrivateKeySpec.class).getBytes();
    KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
    g.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
    return g.generateKeyPair().getPublic();
  }

  private static byte[] pem(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) throw new IllegalArgumentException("no " + type + " block");
    return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
  }

  private static String toPem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** Hands the generator the private key's seed, so it derives that key's public half. */
  private static final class FixedSeed extends java.security.SecureRandom {
    private final byte[] seed;

    FixedSeed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
    }
  }
}
