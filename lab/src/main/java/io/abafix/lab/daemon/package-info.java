/**
 * The lab as a process of its own, {@link io.abafix.lab.daemon.LabDaemon}, so that the real worker
 * processes can run against it unchanged.
 */
package io.abafix.lab.daemon;
