package io.abafix.activities.model;

import java.util.List;

/**
 * What the directory holds that a rehearsal needs: the provisioning apps, whether each has a
 * service principal, and the roles of the connector accounts.
 *
 * @param appIdsWithServicePrincipal the app ids among {@code applications} that have one
 * @param connectorAccounts the accounts that were checked
 * @param globalAdministrators those of them that hold the Global Administrator role
 */
public record DirectoryCapture(
    List<AppRegistration> applications,
    List<String> appIdsWithServicePrincipal,
    List<String> connectorAccounts,
    List<String> globalAdministrators) {

  public DirectoryCapture {
    applications = applications == null ? List.of() : List.copyOf(applications);
    appIdsWithServicePrincipal =
        appIdsWithServicePrincipal == null ? List.of() : List.copyOf(appIdsWithServicePrincipal);
    connectorAccounts = connectorAccounts == null ? List.of() : List.copyOf(connectorAccounts);
    globalAdministrators =
        globalAdministrators == null ? List.of() : List.copyOf(globalAdministrators);
  }
}
