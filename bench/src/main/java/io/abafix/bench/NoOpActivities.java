package io.abafix.bench;

import io.temporal.activity.ActivityInterface;

/** One activity that does nothing: what Temporal alone costs per step. */
@ActivityInterface
public interface NoOpActivities {
  /** Returns its argument at once. */
  int noOp(int step);
}
