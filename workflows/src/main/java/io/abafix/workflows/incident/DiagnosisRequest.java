package io.abafix.workflows.incident;

import java.util.List;

/**
 * An on-demand diagnosis of a fleet ({@code abafix diagnose --tenant}).
 *
 * @param workerWaitSeconds how long to wait for each server's worker before reporting the server
 *     unreachable
 */
public record DiagnosisRequest(
    String tenant, List<String> servers, long workerWaitSeconds, int expiryWarningDays) {
  public DiagnosisRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
  }
}
