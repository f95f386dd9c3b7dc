package dev.streamloop.engine.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamloop.engine.checkpoint.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The query's bad-record policy for one source. Fail stops the batch with the record's position;
 * Drop counts it; DeadLetter counts it and writes it with the reason to {@code
 * <dir>/<source>-<batchId>.jsonl}, replaced whole when a batch is re-run, so it holds each bad
 * record of a batch exactly once.
 */
public final class BadRecords {
  /** What to do with a bad record. */
  public enum Policy {
    FAIL,
    DROP,
    DEAD_LETTER
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Policy policy;
  private final Path deadLetterDir;
  private final String source;
  private final boolean includeEvaluationErrors;
  private final List<String> deadLetters = new ArrayList<>();
  private long count;

  public BadRecords(Policy policy, Path deadLetterDir, String source) {
    this(policy, deadLetterDir, source, false);
  }

  /**
   * @param includeEvaluationErrors Whether rows the query cannot evaluate follow the policy too
   *     (else they fail the batch whatever the policy).
   */
  public BadRecords(
      Policy policy, Path deadLetterDir, String source, boolean includeEvaluationErrors) {
    this.policy = policy;
    this.deadLetterDir = deadLetterDir;
    this.source = source;
    this.includeEvaluationErrors = includeEvaluationErrors;
  }

  /**
   * A row of this source the query could not evaluate: taken (counted, and written to the dead
   * letters with {@code reason}) when the policy covers evaluation errors and is not Fail.
   */
  public boolean takeFailedRow(String position, String reason, String record) {
    if (!includeEvaluationErrors || policy == Policy.FAIL) {
      return false;
    }
    handle(position == null ? "(unknown position)" : position, reason, record);
    return true;
  }

  /** Handles one bad record at {@code position} (such as "/data/in/a.json line 7"). */
  public void handle(String position, String reason, String record) {
    if (policy == Policy.FAIL) {
      throw new BadRecordException(
          "bad record in source \""
              + source
              + "\" at "
              + position
              + ": "
              + reason
              + " (spec.badRecords.policy is Fail; use Drop or DeadLetter to skip bad records)");
    }
    count++;
    if (policy == Policy.DEAD_LETTER) {
      ObjectNode entry = JSON.createObjectNode();
      entry.put("source", source);
      entry.put("position", position);
      entry.put("reason", reason);
      entry.put("record", record);
      deadLetters.add(entry.toString());
    }
  }

  /** Bad records of the current batch so far. */
  public long count() {
    return count;
  }

  /** Starts a batch. */
  public void reset() {
    count = 0;
    deadLetters.clear();
  }

  /** Writes the batch's dead letters, if any. */
  public void finishBatch(long batchId) {
    if (policy != Policy.DEAD_LETTER || deadLetters.isEmpty()) {
      return;
    }
    Path file = deadLetterDir.resolve(source + "-" + batchId + ".jsonl");
    byte[] content = (String.join("\n", deadLetters) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.deleteIfExists(file);
      AtomicFiles.createExclusive(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dead letters to " + file, e);
    }
  }

  /** A bad record under the Fail policy. */
  public static final class BadRecordException extends RuntimeException {
    public BadRecordException(String message) {
      super(message);
    }
  }
}
