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
 * @param groups the object ids of the groups the user is a member of (the token's {@code groups})
 */
public record LabUser(
    String upn, String objectId, String name, List<String> roles, List<String> groups) {

  public LabUser {
    roles = List.copyOf(roles);
    groups = List.copyOf(groups);
  }

  static LabUser of(String upn, String name, List<String> roles, List<String> groups) {
    return new LabUser(
        upn,
        UUID.nameUUIDFromBytes(upn.getBytes(StandardCharsets.UTF_8)).toString(),
        name,
        roles,
        groups);
  }
}
