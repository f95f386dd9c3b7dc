package dev.streamloop.engine.checkpoint;

import dev.streamloop.engine.state.HeapStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A reset of a checkpoint that an incompatible edit rolls out with, done once by the first runner
 * of a generation and never again: {@code state} moves the state aside (the sources' offsets are
 * kept, the aggregation starts empty), {@code all} moves everything aside (the query starts from an
 * empty checkpoint). Nothing is deleted: the old data stays in the checkpoint directory as {@code
 * state-before-g<generation>} or {@code before-g<generation>}, whose existence is also the record
 * that the reset happened, so a restarted runner of the same generation does not reset again.
 *
 * @param generation The generation the reset belongs to.
 */
public record CheckpointReset(Scope scope, long generation) {
  /** What is moved aside. */
  public enum Scope {
    STATE,
    ALL
  }

  private static final String ALL_ASIDE = "before-g";
  private static final String STATE_ASIDE = "state-before-g";

  /**
   * Reads {@code state@7} or {@code all@7} (the operator's STREAMLOOP_CHECKPOINT_RESET); empty for
   * null or blank.
   */
  public static Optional<CheckpointReset> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    String[] parts = text.strip().split("@", 2);
    try {
      return Optional.of(
          new CheckpointReset(
              Scope.valueOf(parts[0].toUpperCase(Locale.ROOT)), Long.parseLong(parts[1])));
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(
          "checkpoint reset '" + text + "': expected state@GENERATION or all@GENERATION");
    }
  }

  /**
   * Where the old data goes, under the checkpoint directory; its presence means the reset is done.
   */
  public Path aside(Path dir) {
    return dir.resolve((scope == Scope.ALL ? ALL_ASIDE : STATE_ASIDE) + generation);
  }

  /**
   * Resets the checkpoint in {@code dir} unless this reset was done there already. Call it holding
   * the checkpoint's lock, before the checkpoint is opened. Returns whether it reset now.
   */
  public boolean applyTo(Path dir) {
    Path aside = aside(dir);
    try {
      Path partial = dir.resolve("." + aside.getFileName() + ".partial");
      if (Files.exists(aside)) {
        if (scope == Scope.STATE && Files.exists(partial)) { // killed between the two moves
          Files.move(partial, dir.resolve("state"), StandardCopyOption.ATOMIC_MOVE);
          AtomicFiles.fsyncDirectory(dir);
        }
        return false;
      }
      if (scope == Scope.STATE) {
        resetState(dir, aside, partial);
      } else {
        // moved into a partial directory first, renamed at the end: a runner killed half-way
        // continues the move on its next start instead of leaving half a checkpoint behind
        Files.createDirectories(partial);
        for (Path entry : entriesToMove(dir)) {
          Files.move(entry, partial.resolve(entry.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
        AtomicFiles.fsyncDirectory(partial);
        Files.move(partial, aside, StandardCopyOption.ATOMIC_MOVE);
      }
      AtomicFiles.fsyncDirectory(dir);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot move the checkpoint " + dir + " aside to " + aside + ": " + e.getMessage(), e);
    }
  }

  /**
   * The new state is built beside the old one (an empty snapshot of each stateful operator at the
   * version the next batch loads), then the old state is moved aside and the new one into place.
   */
  private static void resetState(Path dir, Path aside, Path partial) throws IOException {
    Path state = dir.resolve("state");
    Files.createDirectories(partial);
    long next = nextBatch(dir);
    if (next > 0 && Files.isDirectory(state)) {
      try (var operators = Files.list(state)) {
        for (Path operator : operators.filter(Files::isDirectory).toList()) {
          HeapStateStore.writeEmpty(partial.resolve(operator.getFileName().toString()), next);
        }
      }
    }
    if (Files.exists(state)) {
      Files.move(state, aside, StandardCopyOption.ATOMIC_MOVE);
    } else {
      Files.createDirectories(aside);
    }
    Files.move(partial, state, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * The batch the runner runs next, whose state version it loads: the last logged batch when it has
   * no commit (it is re-run), else the one after it.
   */
  private static long nextBatch(Path dir) {
    var logged = new MetadataLog(dir.resolve("offsets")).latestId();
    if (logged.isEmpty()) {
      return 0;
    }
    long last = logged.getAsLong();
    return Files.exists(new MetadataLog(dir.resolve("commits")).file(last)) ? last + 1 : last;
  }

  /** Everything but the lock, earlier resets' data and a reset in progress. */
  private static List<Path> entriesToMove(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return !name.equals(CheckpointLock.FILE)
                    && !name.startsWith(ALL_ASIDE)
                    && !name.startsWith(STATE_ASIDE)
                    && !name.startsWith(".");
              })
          .toList();
    }
  }
}
