package io.abafix.activities.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * An {@link ApprovalLedger} in a file on the worker's own disk, one JSON line per claim, written
 * and forced to the disk before the step acts: a worker restarted (or its machine rebooted) reads
 * it back and still refuses a second use. The file is locked while the worker runs, so two workers
 * cannot share it and each believe it is alone. It holds run ids, step names and times, no secret.
 */
public final class FileApprovalLedger implements ApprovalLedger, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private final Map<String, String> held = new HashMap<>();

  private static final Map<Path, FileApprovalLedger> OPEN = new HashMap<>();

  /**
   * The ledger in {@code file}, opened once per process: workers of one process share it (the lock
   * keeps other processes out, not this one's own workers).
   *
   * @throws IllegalStateException when another process holds it, or a line cannot be read
   */
  public static FileApprovalLedger open(Path file) {
    Path key = file.toAbsolutePath().normalize();
    synchronized (OPEN) {
      return OPEN.computeIfAbsent(key, FileApprovalLedger::new);
    }
  }

  /**
   * Opens (or creates) the ledger.
   *
   * @throws IllegalStateException when another process holds it, or a line cannot be read
   */
  private FileApprovalLedger(Path file) {
    this.file = file;
    try {
      if (file.getParent() != null) Files.createDirectories(file.getParent());
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock acquired;
      try {
        acquired = channel.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException sameProcess) {
        acquired = null;
      }
      lock = acquired;
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "the approval ledger " + file + " is in use by another worker: give each its own");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int complete = text.lastIndexOf('\n') + 1;
      if (complete < text.length()) {
        // A line cut short by a crash: it was never forced to disk whole, so its step never acted
        // (the claim is forced before the step acts). It is dropped, not trusted.
        channel.truncate(text.substring(0, complete).getBytes(StandardCharsets.UTF_8).length);
        text = text.substring(0, complete);
      }
      int n = 0;
      for (String line : text.split("\n")) {
        n++;
        if (line.isBlank()) continue;
        JsonNode j;
        try {
          j = JSON.readTree(line);
        } catch (IOException e) {
          throw new IllegalStateException(
              "the approval ledger "
                  + file
                  + " line "
                  + n
                  + " is not JSON ("
                  + e.getMessage()
                  + "): it was changed by hand or the disk is failing; restore it from a backup");
        }
        held.putIfAbsent(j.path("key").asText(), j.path("holder").asText());
      }
      channel.position(channel.size());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the approval ledger " + file, e);
    }
  }

  @Override
  public synchronized String claim(String key, String holder) {
    String first = held.get(key);
    if (first != null) return first.equals(holder) ? null : first;
    ObjectNode line = JSON.createObjectNode();
    line.put("key", key);
    line.put("holder", holder);
    line.put("at", Instant.now().toString());
    try {
      channel.write(
          ByteBuffer.wrap((JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the approval ledger " + file, e);
    }
    held.put(key, holder);
    return null;
  }

  @Override
  public synchronized void close() throws IOException {
    synchronized (OPEN) {
      OPEN.remove(file.toAbsolutePath().normalize());
    }
    lock.release();
    channel.close();
  }
}
