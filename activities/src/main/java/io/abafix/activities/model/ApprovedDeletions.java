package io.abafix.activities.model;

import java.util.List;

/**
 * The app registrations an approved plan lets the directory worker delete (and, when the run
 * compensates, restore): nothing outside this list is touched. Today the workflow passes it with
 * each call; the signed approval proof is meant to carry exactly these fields (run, apps, count),
 * so that the worker can check them against the approver's signature rather than trust the
 * workflow.
 *
 * @param runId the run the approval was given for
 * @param applications the apps the plan names: object id, app id and display name
 * @param maxCount how many distinct apps the run may delete at most (the plan's count)
 */
public record ApprovedDeletions(String runId, List<ApprovedApp> applications, int maxCount) {

  /** One app the plan names; the worker checks the live app still matches it. */
  public record ApprovedApp(String objectId, String appId, String displayName) {}

  public ApprovedDeletions {
    applications = applications == null ? List.of() : List.copyOf(applications);
  }

  /** The approval for a plan's apps, allowing exactly that many deletions. */
  public static ApprovedDeletions of(String runId, List<AppRegistration> apps) {
    return new ApprovedDeletions(
        runId,
        apps.stream().map(a -> new ApprovedApp(a.id(), a.appId(), a.displayName())).toList(),
        apps.size());
  }
}
