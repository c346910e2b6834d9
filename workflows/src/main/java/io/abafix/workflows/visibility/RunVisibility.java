package io.abafix.workflows.visibility;

import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a run shows of itself in Temporal while it runs: its current details (Markdown, shown by the
 * Web UI: where the run is, what it waits for and the exact command that answers it) and, where the
 * run started with abafix's search attributes, its phase, what it waits for and how it ended.
 *
 * <p>Whether to upsert is decided once per run, from the attributes it started with: a starter sets
 * them only where the cluster has them registered (see {@link SearchAttributes}), and upserting an
 * unregistered attribute would fail every workflow task of the run. Replays decide the same way, so
 * runs started before search attributes were registered replay without upserts.
 *
 * <p>Only changes are upserted, so a loop that waits repeatedly adds no history events. Use from
 * workflow code only.
 */
public final class RunVisibility {
  /** {@link SearchAttributes#WAITING_FOR} when a person must approve or reject. */
  public static final String WAITING_APPROVAL = "approval";

  /** {@link SearchAttributes#WAITING_FOR} when a person must do a step and confirm it. */
  public static final String WAITING_OPERATOR = "operator";

  /** {@link SearchAttributes#WAITING_FOR} while the run waits out a server's state (timers). */
  public static final String WAITING_SERVER = "server";

  /** {@link SearchAttributes#WAITING_FOR} while an incident gathers reports. */
  public static final String WAITING_REPORTS = "reports";

  private Boolean indexed;
  private String phase;
  private String waitingFor;
  private String outcome;

  /** The run moved to {@code phase} (a step name such as {@code REVERT_TO_SERVICE_ACCOUNT}). */
  public void phase(String phase, String where) {
    waitingFor = clear(waitingFor);
    if (!Objects.equals(this.phase, phase)) {
      this.phase = phase;
      upsert(List.of(SearchAttributeUpdate.valueSet(SearchAttributes.PHASE, phase)));
    }
    Workflow.setCurrentDetails(
        "**Now:** "
            + phase
            + (where == null || where.isEmpty() ? "" : " on " + where)
            + "\n\nFollow it: `abafix status "
            + runId()
            + "`");
  }

  /**
   * The run waits for {@code what}; {@code commands} answer it (none when nobody needs to act).
   *
   * @param kind one of the {@code WAITING_*} constants
   */
  public void waiting(String kind, String what, String... commands) {
    if (!Objects.equals(waitingFor, kind)) {
      waitingFor = kind;
      upsert(List.of(SearchAttributeUpdate.valueSet(SearchAttributes.WAITING_FOR, kind)));
    }
    StringBuilder md = new StringBuilder("**Waiting for** ").append(what);
    if (commands.length == 0) {
      md.append("\n\nNobody needs to act: the run checks again on a durable timer.");
    } else {
      md.append("\n\nAnswer with:\n");
      for (String c : commands) md.append("\n    ").append(c);
    }
    md.append("\n\nFollow it: `abafix status ").append(runId()).append('`');
    Workflow.setCurrentDetails(md.toString());
  }

  /** The wait is over; the run goes on in its current phase. */
  public void doneWaiting() {
    waitingFor = clear(waitingFor);
  }

  /** The run ended with {@code outcome} (e.g. SUCCEEDED, COMPENSATED). */
  public void ended(String outcome) {
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    if (waitingFor != null) {
      waitingFor = null;
      updates.add(SearchAttributeUpdate.valueUnset(SearchAttributes.WAITING_FOR));
    }
    if (!Objects.equals(this.phase, "DONE")) {
      this.phase = "DONE";
      updates.add(SearchAttributeUpdate.valueSet(SearchAttributes.PHASE, "DONE"));
    }
    if (!Objects.equals(this.outcome, outcome)) {
      this.outcome = outcome;
      updates.add(SearchAttributeUpdate.valueSet(SearchAttributes.OUTCOME, outcome));
    }
    upsert(updates);
    Workflow.setCurrentDetails(
        "**Ended:** "
            + outcome
            + "\n\nThe journal: `abafix audit "
            + runId()
            + " --out audit.jsonl`");
  }

  private String clear(String current) {
    if (current != null) {
      upsert(List.of(SearchAttributeUpdate.valueUnset(SearchAttributes.WAITING_FOR)));
    }
    return null;
  }

  private void upsert(List<SearchAttributeUpdate<?>> updates) {
    if (updates.isEmpty() || !indexed()) return;
    Workflow.upsertTypedSearchAttributes(updates.toArray(new SearchAttributeUpdate<?>[0]));
  }

  private boolean indexed() {
    if (indexed == null) indexed = startedWithSearchAttributes();
    return indexed;
  }

  /** Whether this run started with abafix's attributes, so the cluster has them registered. */
  public static boolean startedWithSearchAttributes() {
    return Workflow.getTypedSearchAttributes().containsKey(SearchAttributes.WORKFLOW_KIND);
  }

  private static String runId() {
    return Workflow.getInfo().getWorkflowId();
  }
}
