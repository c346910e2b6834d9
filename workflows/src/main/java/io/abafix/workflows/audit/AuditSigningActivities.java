package io.abafix.workflows.audit;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Signs audit digests with the orchestrator's key. Runs as a local activity inside the
 * orchestrator, so the key never leaves that process: only the digest and the signature go into the
 * history.
 */
@ActivityInterface
public interface AuditSigningActivities {
  @ActivityMethod(name = "SignAuditDigest")
  SignedDigest sign(AuditDigest digest);
}
