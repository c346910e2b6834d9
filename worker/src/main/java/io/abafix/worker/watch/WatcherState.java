package io.abafix.worker.watch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a watcher has already reported, kept in a small JSON file:
 *
 * <pre>{"lastRecordId":42,"activeConditions":["BLANK_PARAMETERS"]}</pre>
 *
 * @param lastRecordId the newest event-log record already looked at (reported or ignored)
 * @param activeConditions state findings reported and still present; one that clears is removed, so
 *     that its return is reported again
 */
public record WatcherState(long lastRecordId, Set<String> activeConditions) {
  private static final ObjectMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public WatcherState {
    activeConditions =
        activeConditions == null
            ? Set.of()
            : java.util.Collections.unmodifiableSet(new TreeSet<>(activeConditions));
  }

  /** The state in {@code file}, or empty when there is no file yet (a first run). */
  public static java.util.Optional<WatcherState> load(Path file) {
    if (!Files.exists(file)) return java.util.Optional.empty();
    try {
      return java.util.Optional.of(JSON.readValue(file.toFile(), WatcherState.class));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the watcher state "
              + file
              + ": fix or delete it (deleting it reports the last day's events again)",
          e);
    }
  }

  /** Writes the state to {@code file} atomically: a crash leaves the old or the new file. */
  public void save(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the watcher state " + file, e);
    }
  }
}
