package io.abafix.activities.graph;

import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The directory worker's own certificate and private key, loaded once from the configured file. */
record SigningCertificate(X509Certificate certificate, PrivateKey privateKey) {

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");

  /** Names the certificate only: a record's generated toString would print the private key. */
  @Override
  public String toString() {
    return "SigningCertificate["
        + certificate.getSubjectX500Principal()
        + ", "
        + thumbprint()
        + "]";
  }

  /** The SHA-1 thumbprint as Windows and the Entra portal show it: 40 upper-case hex digits. */
  String thumbprint() {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
      return HexFormat.of().withUpperCase().formatHex(sha1);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /**
   * Loads the certificate named by {@code config}.
   *
   * @param environment looks up environment variables (the PKCS#12 password)
   * @throws HostException CREDENTIAL_UNAVAILABLE when the file, its key or its password is missing
   *     or unreadable
   */
  static SigningCertificate load(
      GraphDirectoryConfig config, Function<String, String> environment) {
    byte[] content;
    try {
      content = Files.readAllBytes(config.certificatePath());
    } catch (IOException e) {
      throw unavailable(config, "cannot read the file (" + e.getClass().getSimpleName() + ")", e);
    }
    SigningCertificate loaded;
    try {
      loaded =
          config.isPkcs12()
              ? fromPkcs12(config, content, environment)
              : fromPem(config, new String(content, StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
      // The message names the file and the kind of problem; key material never goes into it.
      throw unavailable(config, "cannot load it: " + e.getClass().getSimpleName(), e);
    }
    String algorithm = loaded.certificate().getPublicKey().getAlgorithm();
    if (!"RSA".equals(algorithm)) {
      // msal4j signs the client assertion with RS256 only: an EC key would fail at every token.
      throw unavailable(
          config,
          "its key is "
              + algorithm
              + ", but msal4j signs client assertions with RS256 only: use an RSA (2048-bit or"
              + " larger) certificate",
          null);
    }
    return loaded;
  }

  private static SigningCertificate fromPem(GraphDirectoryConfig config, String pem)
      throws GeneralSecurityException {
    X509Certificate certificate = null;
    PrivateKey key = null;
    Matcher m = PEM_BLOCK.matcher(pem);
    while (m.find()) {
      byte[] der = Base64.getMimeDecoder().decode(m.group(2));
      switch (m.group(1)) {
        case "CERTIFICATE" -> {
          // The first certificate is the leaf; any that follow are its chain.
          if (certificate == null) {
            certificate =
                (X509Certificate)
                    CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der));
          }
        }
        case "PRIVATE KEY" -> key = pkcs8(der);
        case "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
            throw unavailable(
                config,
                "its private key is a "
                    + m.group(1)
                    + " block; abafix reads unencrypted PKCS#8 (BEGIN PRIVATE KEY) in PEM files."
                    + " Convert it with 'openssl pkcs8 -topk8 -nocrypt', or use a password-protected"
                    + " .pfx file instead",
                null);
        default -> {
          // Other blocks (parameters, comments) are not needed.
        }
      }
    }
    if (certificate == null) throw unavailable(config, "it holds no CERTIFICATE block", null);
    if (key == null) throw unavailable(config, "it holds no PRIVATE KEY block", null);
    return new SigningCertificate(certificate, key);
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(spec);
    } catch (GeneralSecurityException notRsa) {
      return KeyFactory.getInstance("EC").generatePrivate(spec);
    }
  }

  private static SigningCertificate fromPkcs12(
      GraphDirectoryConfig config, byte[] content, Function<String, String> environment)
      throws GeneralSecurityException, IOException {
    char[] password = new char[0];
    if (config.pfxPasswordEnvVar() != null) {
      String value = environment.apply(config.pfxPasswordEnvVar());
      if (value == null) {
        throw unavailable(
            config,
            "environment variable " + config.pfxPasswordEnvVar() + " (its password) is not set",
            null);
      }
      password = value.toCharArray();
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new ByteArrayInputStream(content)) {
      store.load(in, password);
    }
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
      String alias = aliases.nextElement();
      if (!store.isKeyEntry(alias)) continue;
      Key key = store.getKey(alias, password);
      if (key instanceof PrivateKey privateKey
          && store.getCertificate(alias) instanceof X509Certificate certificate) {
        return new SigningCertificate(certificate, privateKey);
      }
    }
    throw unavailable(config, "it holds no private key with a certificate", null);
  }

  private static HostException unavailable(
      GraphDirectoryConfig config, String problem, Throwable cause) {
    return new HostException(
        Category.CREDENTIAL_UNAVAILABLE,
        "the directory worker's certificate file "
            + config.certificatePath()
            + " is unusable: "
            + problem,
        cause);
  }
}
