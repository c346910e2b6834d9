package io.abafix.activities.approval;

import java.util.Arrays;
import java.util.Locale;

/**
 * The Microsoft Entra sign-in host of each national cloud, whose v2.0 issuer ({@code
 * https://<host>/<tenantId>/v2.0}) and signing keys an approval is checked against (entra-docs
 * {@code authentication-national-cloud.md}). US Government and DoD share one sign-in host.
 */
public enum SignInCloud {
  GLOBAL("global", "https://login.microsoftonline.com"),
  US_GOV("usgov", "https://login.microsoftonline.us"),
  CHINA("china", "https://login.partner.microsoftonline.cn");

  private final String option;
  private final String host;

  SignInCloud(String option, String host) {
    this.option = option;
    this.host = host;
  }

  /** The sign-in host, e.g. {@code https://login.microsoftonline.us}. */
  public String host() {
    return host;
  }

  /** The value that names this cloud in an option or a tenants file. */
  public String option() {
    return option;
  }

  /**
   * The cloud an option names: {@code global}, {@code usgov} (US Government and DoD) or {@code
   * china}; null or blank is global.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SignInCloud of(String option) {
    if (option == null || option.isBlank()) return GLOBAL;
    String name = option.trim().toLowerCase(Locale.ROOT);
    if (name.equals("usgovdod") || name.equals("dod")) return US_GOV;
    return Arrays.stream(values())
        .filter(c -> c.option.equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown sign-in cloud '"
                        + option
                        + "': use global, usgov (US Government and DoD) or china"));
  }
}
