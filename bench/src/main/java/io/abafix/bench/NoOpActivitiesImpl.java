package io.abafix.bench;

/** Does nothing, so that a run of these measures only the orchestration. */
public final class NoOpActivitiesImpl implements NoOpActivities {
  @Override
  public int noOp(int step) {
    return step;
  }
}
