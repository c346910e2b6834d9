package io.abafix.activities.model;

import java.util.List;

/**
 * What the directory worker proved, before any change, about what the plan will need of it.
 *
 * @param missing each thing it cannot do, with its fix; empty when everything is proven
 * @param globalAdministrators the Global Administrator check of every account it was asked about
 */
public record DirectoryPrerequisites(List<Missing> missing, List<RoleCheck> globalAdministrators) {

  /**
   * One missing prerequisite.
   *
   * @param subject what it concerns ("app ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e (object id
   *     ...)", or "the Global Administrator check")
   * @param what what is missing
   * @param fix exactly what an administrator does about it
   */
  public record Missing(String subject, String what, String fix) {
    public String describe() {
      return subject + ": " + what + ". Fix: " + fix;
    }
  }

  public DirectoryPrerequisites {
    missing = missing == null ? List.of() : List.copyOf(missing);
    globalAdministrators =
        globalAdministrators == null ? List.of() : List.copyOf(globalAdministrators);
  }

  public boolean proven() {
    return missing.isEmpty();
  }
}
