package io.abafix.cli;

import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.incident.PortFleetReader;
import java.util.List;

/** Reads a lab's fleet the way preflight does, outside Temporal. Changes nothing. */
final class LabFleet {
  private LabFleet() {}

  /** Every server, through the production adapters (PowerShell and Graph) over the lab. */
  static FleetFacts throughAdapters(Lab lab) {
    try (LabAdapters adapters = LabAdapters.start(lab)) {
      return PortFleetReader.read(lab.tenantDomain(), adapters.hosts(), adapters.directory());
    }
  }

  /**
   * The named servers (as the lab spells them), straight through the lab's own ports: no loopback
   * endpoint to start and nothing logged, for a quick look before anything runs.
   */
  static FleetFacts direct(Lab lab, List<String> servers) {
    List<SyncServerHost> hosts = servers.stream().<SyncServerHost>map(lab::host).toList();
    return PortFleetReader.read(lab.tenantDomain(), hosts, lab.directory());
  }
}
