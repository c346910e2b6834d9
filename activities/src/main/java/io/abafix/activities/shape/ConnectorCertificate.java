package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The certificate a connector on Application signs in with, as it names it. Microsoft documents
 * neither where it is shown nor its form: the portal calls an app key's id (a GUID) "Certificate
 * ID", while a thumbprint is what the BYOC cmdlets take. So it is read from the credential object
 * of Get-ADSyncEntraConnectorCredential first (a property named below, on the object or on an
 * object it holds, such as a certificate), then from the connector's CertificateId, and accepted as
 * either form; {@link io.abafix.activities.model.KeyCredential#identifies} matches both.
 */
final class ConnectorCertificate {
  static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{40}");

  /** Property names that may hold the certificate (inferred, not documented). */
  static final List<String> NAMES =
      List.of("CertificateThumbprint", "Thumbprint", "CertificateId", "KeyId");

  private ConnectorCertificate() {}

  /**
   * @return the thumbprint (upper case) or key id (lower case), or null when neither place holds
   *     one
   * @throws ShapeException when CertificateId holds something that is neither form
   */
  static String of(String command, RawObject credential, String certificateIdParameter) {
    String found = find(credential, NAMES, null);
    if (found != null) return normal(found);
    if (certificateIdParameter == null) return null;
    String normal = normal(certificateIdParameter);
    if (normal == null) {
      throw ShapeException.of(
          "Get-ADSyncConnector",
          "the connectivity parameter CertificateId '" + certificateIdParameter + "'",
          "a certificate thumbprint (40 hex characters) or a key id (a GUID)");
    }
    return normal;
  }

  private static String normal(String id) {
    String t = id.trim();
    if (THUMBPRINT.matcher(t).matches()) return t.toUpperCase(Locale.ROOT);
    if (ServerStateShape.GUID.matcher(t).matches()) return t.toLowerCase(Locale.ROOT);
    return null;
  }

  /**
   * The first property among {@code names} (any case) on {@code object} or on an object it holds
   * whose text is a thumbprint or GUID (or matches {@code only} when given); null when none does.
   */
  static String find(RawObject object, List<String> names, Pattern only) {
    for (String wanted : names) {
      for (String name : object.names()) {
        if (!name.equalsIgnoreCase(wanted)) continue;
        String v = text(object.value(name).orElse(null));
        if (v != null && (only == null ? normal(v) != null : only.matcher(v.trim()).matches())) {
          return v.trim();
        }
      }
    }
    for (String name : object.names()) {
      JsonNode v = object.value(name).orElse(null);
      if (!RawObject.isObject(v)) continue;
      String nested = find(RawObject.parse("nested " + name, v), names, only);
      if (nested != null) return nested;
    }
    return null;
  }

  private static String text(JsonNode v) {
    return v == null || !v.isTextual() ? null : v.asText();
  }
}
