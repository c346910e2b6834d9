package io.abafix.workflows.capture;

import io.abafix.activities.model.DirectoryCapture;
import io.abafix.activities.model.ServerCaptureResult;
import java.util.List;

/**
 * A fleet as it was when captured: each server's raw answers, in the order named, and the
 * directory.
 *
 * @param capturedAt epoch millis, the workflow's clock
 */
public record FleetCapture(
    String tenant, long capturedAt, List<ServerCaptureResult> servers, DirectoryCapture directory) {
  public FleetCapture {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
