package io.abafix.lab.signin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * A person in the lab's tenant.
 *
 * @param upn the user principal name, e.g. {@code alice@contoso.onmicrosoft.com}
 * @param objectId the user's {@code oid}, stable for a UPN
 * @param roles the app roles assigned to the user on abafix's app registration
 */
public record LabUser(String upn, String objectId, String name, List<String> roles) {

  public LabUser {
    roles = List.copyOf(roles);
  }

  static LabUser of(String upn, String name, List<String> roles) {
    return new LabUser(
        upn, UUID.nameUUIDFromBytes(upn.getBytes(StandardCharsets.UTF_8)).toString(), name, roles);
  }
}
