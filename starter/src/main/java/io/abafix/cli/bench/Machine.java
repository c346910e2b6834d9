package io.abafix.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Where the figures were measured: the machine, the JVM, and how loaded the machine was (the load
 * averages of {@code uptime}), before and after the run, since a shared machine shifts every
 * absolute figure (the ratios less so: baseline and abafix share the load).
 */
public record Machine(
    String measuredAt,
    String os,
    String arch,
    int cores,
    long memoryMb,
    String java,
    String vm,
    String cpu,
    String uptimeBefore,
    String uptimeAfter) {

  public static Machine before() {
    return new Machine(
        Instant.now().toString(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"),
        Runtime.getRuntime().availableProcessors(),
        readMemoryMb(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        readCpu(),
        uptime(),
        null);
  }

  public Machine after() {
    return new Machine(
        measuredAt, os, arch, cores, memoryMb, java, vm, cpu, uptimeBefore, uptime());
  }

  /** The one-minute load average in an {@code uptime} line, or -1 when there is none. */
  public static double oneMinuteLoad(String uptime) {
    if (uptime == null) return -1;
    int at = uptime.indexOf("load average");
    if (at < 0) return -1;
    String[] parts = uptime.substring(uptime.indexOf(':', at) + 1).trim().split(",\\s*");
    try {
      return Double.parseDouble(parts[0].trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String uptime() {
    try {
      Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
      p.getOutputStream().close();
      try (InputStream in = p.getInputStream()) {
        String out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return out;
      }
    } catch (IOException e) {
      // No uptime command: fall back to the kernel's figures.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      return "load average: "
          + String.join(", ", Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4))
              .replaceFirst(", [^,]*$", "");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static long readMemoryMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Not Linux: the JVM's view of memory is all there is.
    }
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  private static String readCpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
      }
    } catch (IOException e) {
      // Not Linux.
    }
    return "unknown";
  }
}
