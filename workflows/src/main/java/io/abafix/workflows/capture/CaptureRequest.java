package io.abafix.workflows.capture;

import java.util.List;

/**
 * What to capture.
 *
 * @param servers the Entra Connect servers, by name
 * @param workerWaitSeconds how long to wait for each worker to poll before giving up
 */
public record CaptureRequest(String tenant, List<String> servers, long workerWaitSeconds) {
  public CaptureRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
