package io.abafix.lab.graph;

import io.abafix.activities.model.KeyCredential;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.UUID;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificates for the lab: the directory worker's identity, and the ABA certificates
 * the simulated servers register on their apps.
 */
public final class TestCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCertificates() {}

  /** A certificate and its private key. Lab material only: never a real identity. */
  public record TestCertificate(X509Certificate certificate, PrivateKey privateKey) {

    /** The SHA-1 thumbprint, 40 upper-case hex digits, as Windows shows it. */
    public String thumbprint() {
      return HexFormat.of().withUpperCase().formatHex(digest("SHA-1"));
    }

    /**
     * This certificate as a Graph key credential would describe it (key id random, thumbprint as
     * customKeyIdentifier, expiry from the certificate).
     */
    public KeyCredential keyCredential() {
      return new KeyCredential(
          UUID.randomUUID().toString(),
          thumbprint(),
          DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
              certificate.getNotAfter().toInstant().atOffset(ZoneOffset.UTC)));
    }

    /**
     * Writes the certificate and its unencrypted PKCS#8 private key to {@code file} in PEM, the
     * form {@code GraphDirectoryConfig} reads.
     *
     * @return {@code file}
     */
    public Path writePem(Path file) throws IOException {
      String pem =
          pem("CERTIFICATE", encoded(certificate)) + pem("PRIVATE KEY", privateKey.getEncoded());
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return file;
    }

    /**
     * Writes a PKCS#12 file protected by {@code password}.
     *
     * @return {@code file}
     */
    public Path writePkcs12(Path file, char[] password) throws IOException {
      try (OutputStream out = Files.newOutputStream(file)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("abafix", privateKey, password, new X509Certificate[] {certificate});
        store.store(out, password);
        return file;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot write PKCS#12 file " + file, e);
      }
    }

    byte[] digest(String algorithm) {
      try {
        return MessageDigest.getInstance(algorithm).digest(encoded(certificate));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(algorithm + " is not available", e);
      }
    }

    @Override
    public String toString() {
      // Keeps the private key out of logs and assertion messages.
      return "TestCertificate[" + certificate.getSubjectX500Principal() + ", " + thumbprint() + "]";
    }
  }

  /** A self-signed certificate with an EC (P-256) key, which msal4j cannot sign with. */
  public static TestCertificate selfSignedEc(String cn) {
    return selfSigned(cn, "EC", 256, "SHA256withECDSA");
  }

  /**
   * A fresh RSA-2048 self-signed certificate for {@code CN=<cn>}, valid from an hour ago for a
   * year.
   */
  public static TestCertificate selfSigned(String cn) {
    return selfSigned(cn, "RSA", 2048, "SHA256withRSA");
  }

  private static TestCertificate selfSigned(
      String cn, String keyAlgorithm, int keySize, String signatureAlgorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
      generator.initialize(keySize, RANDOM);
      KeyPair keys = generator.generateKeyPair();
      X500Name subject = new X500Name("CN=" + cn);
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              new BigInteger(64, RANDOM),
              Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(365))),
              subject,
              keys.getPublic());
      X509Certificate certificate =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(
                      new JcaContentSignerBuilder(signatureAlgorithm).build(keys.getPrivate())));
      return new TestCertificate(certificate, keys.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create a test certificate for " + cn, e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
