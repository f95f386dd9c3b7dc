package dev.streamloop.engine;

import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.CommitEntry;
import dev.streamloop.engine.checkpoint.OffsetSeq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Runs one batch through the protocol (WAL, read, query, sinks, commit) and reports progress. */
final class BatchRunner {
  /** Spark's noDataProgressEventInterval: idle progress at most this often. */
  static final long IDLE_PROGRESS_INTERVAL_MS = 10_000;

  private final QueryDefinition query;
  private final Checkpoint checkpoint;
  private final Clock clock;
  private final String runId;
  private final WatermarkTracker watermarks;
  private long previousTriggerStart = -1;
  private long lastIdleProgress = -1;
  private long nextWatermarkMs;

  /** The batch this runner ran last and the watermark it ran with (-1: none yet). */
  private long lastRunBatchId = -1;

  private long lastRunWatermarkMs;

  /** The state operators' figures after the last batch, for idle progress. */
  private List<StreamingQueryProgress.StateOperatorProgress> lastState = List.of();

  BatchRunner(QueryDefinition query, Checkpoint checkpoint, Clock clock, String runId) {
    this.query = query;
    this.checkpoint = checkpoint;
    this.clock = clock;
    this.runId = runId;
    this.watermarks = new WatermarkTracker(query.watermarks());
  }

  /**
   * The watermark batch N-1 ran with, which judges batch N's late rows (Spark 3.4+, so that rows
   * between it and batch N's watermark still count before their window is emitted): read from the
   * checkpoint, so a restarted runner judges as an uninterrupted one; 0 for batch 0, and batch N's
   * own when N-1 is no longer kept.
   */
  private long lateEventsWatermark(long batchId, OffsetSeq batch) {
    if (batchId == 0 || !query.query().dropsLateRows()) {
      return 0;
    }
    long previous =
        lastRunBatchId == batchId - 1
            ? lastRunWatermarkMs // the batch this runner ran just before: no read
            : checkpoint
                .readOffsets(batchId - 1)
                .map(OffsetSeq::batchWatermarkMs)
                .orElse(batch.batchWatermarkMs());
    lastRunBatchId = batchId;
    lastRunWatermarkMs = batch.batchWatermarkMs();
    return previous;
  }

  /** The sources' own watermarks now (see WatermarkTracker), for the next offsets entry. */
  List<Long> sourceWatermarks() {
    return watermarks.sourceWatermarks();
  }

  /** Restores the sources' own watermarks from the checkpoint. */
  void restoreSourceWatermarks(List<Long> values) {
    watermarks.restore(values);
  }

  /** The watermark the last batch computed for the next one (what commits/N records). */
  long nextWatermarkMs() {
    return nextWatermarkMs;
  }

  /**
   * Runs batch {@code batchId}.
   *
   * @param latestOffsetMs How long planning the batch (the sources' latest offsets) took.
   */
  StreamingQueryProgress run(
      long batchId,
      List<String> starts,
      OffsetSeq batch,
      boolean rerun,
      long triggerStart,
      long latestOffsetMs) {
    Map<String, Long> durations = new TreeMap<>(); // Spark prints durationMs sorted by key
    durations.put("latestOffset", latestOffsetMs);
    long t = clock.millis();
    if (!rerun && !checkpoint.writeOffsets(batchId, batch)) {
      throw new CheckpointException(
          checkpoint.offsetsEntry(batchId),
          "already exists: another runner is writing to this checkpoint (concurrent update);"
              + " only one runner may use a checkpoint");
    }
    durations.put("walCommit", clock.millis() - t);
    for (int i = 0; i < query.sources().size(); i++) {
      if (starts.get(i) != null) {
        query.sources().get(i).commit(starts.get(i));
      }
    }
    long lateEventsWatermarkMs = lateEventsWatermark(batchId, batch);
    checkpoint.purge(batchId, query.retainBatches());

    t = clock.millis();
    watermarks.startBatch();
    BatchRows read = new BatchRows();
    List<AtomicLong> counts = new ArrayList<>();
    Map<String, Iterable<Object[]>> inputs = new HashMap<>();
    for (int i = 0; i < query.sources().size(); i++) {
      Source source = query.sources().get(i);
      String start = starts.get(i);
      String end = batch.endOffsets().get(i);
      int index = i;
      AtomicLong count = new AtomicLong();
      counts.add(count);
      inputs.put(
          source.name(),
          Objects.equals(start, end)
              ? List.of()
              : () ->
                  watermarks.observe(
                      index, read.track(source, source.read(batchId, start, end), count)));
    }
    durations.put("getBatch", clock.millis() - t);
    t = clock.millis();
    Iterable<Object[]> result =
        query
            .query()
            .execute(
                batchId,
                batch.batchWatermarkMs(),
                lateEventsWatermarkMs,
                inputs,
                batch.batchTimestampMs(),
                new RowFailures(batchId, read, query.query()));
    // the plan is made once at start; what is left per batch is binding it to the batch's rows
    durations.put("queryPlanning", clock.millis() - t);
    t = clock.millis();
    if (query.sinks().size() > 1) {
      List<Object[]> rows = new ArrayList<>();
      result.forEach(rows::add);
      result = rows;
    }
    List<StreamingQueryProgress.SinkProgress> sinks = new ArrayList<>();
    for (Sink sink : query.sinks()) {
      long written = sink.addBatch(batchId, query.query().outputColumns(), result);
      sinks.add(
          new StreamingQueryProgress.SinkProgress(sink.description(), written, sink.metrics()));
    }
    durations.put("addBatch", clock.millis() - t);
    List<StreamingQueryProgress.StateOperatorProgress> state = query.query().commitState(batchId);
    lastState = state;

    t = clock.millis();
    nextWatermarkMs = watermarks.next(batch.batchWatermarkMs());
    if (!checkpoint.writeCommit(
        batchId, new CommitEntry(nextWatermarkMs, watermarks.sourceWatermarks()))) {
      throw new CheckpointException(
          checkpoint.commitsEntry(batchId),
          "already exists: another runner is writing to this checkpoint (concurrent update)");
    }
    durations.put("commitOffsets", clock.millis() - t);
    durations.put("triggerExecution", clock.millis() - triggerStart);

    Double inputWindowSec =
        previousTriggerStart < 0 ? null : (triggerStart - previousTriggerStart) / 1000.0;
    previousTriggerStart = triggerStart;
    long[] rows = counts.stream().mapToLong(AtomicLong::get).toArray();
    return progress(
        batchId,
        triggerStart,
        starts,
        batch.endOffsets(),
        rows,
        inputWindowSec,
        durations,
        watermarks.eventTime(batch.batchWatermarkMs()),
        state,
        sinks,
        true,
        StatusMessages.WAITING_FOR_TRIGGER);
  }

  /**
   * Progress of a trigger that found no new data, at most every 10 s: as Spark's, with the state
   * operators' totals of the last batch and every sink with 0 rows.
   */
  Optional<StreamingQueryProgress> idle(
      long nextBatchId, long triggerStart, List<String> offsets, long latestOffsetMs) {
    // the next batch's input rate counts from this trigger, as Spark's does from the last one
    previousTriggerStart = triggerStart;
    if (lastIdleProgress >= 0 && triggerStart - lastIdleProgress < IDLE_PROGRESS_INTERVAL_MS) {
      return Optional.empty();
    }
    lastIdleProgress = triggerStart;
    return Optional.of(
        progress(
            nextBatchId,
            triggerStart,
            offsets,
            offsets,
            new long[query.sources().size()],
            1.0, // no rows: the rates are 0, whatever the window
            new TreeMap<>(
                Map.of(
                    "latestOffset",
                    latestOffsetMs,
                    "triggerExecution",
                    clock.millis() - triggerStart)),
            Map.of(),
            lastState.stream().map(StreamingQueryProgress.StateOperatorProgress::idle).toList(),
            query.sinks().stream()
                .map(s -> new StreamingQueryProgress.SinkProgress(s.description(), 0))
                .toList(),
            false,
            StatusMessages.WAITING_FOR_DATA));
  }

  /** Progress of a batch that waits for an unavailable source or sink, with the reason. */
  StreamingQueryProgress waiting(long batchId, List<String> offsets, String message) {
    long now = clock.millis();
    return progress(
        batchId,
        now,
        offsets,
        offsets,
        new long[query.sources().size()],
        1.0,
        Map.of("triggerExecution", 0L),
        Map.of(),
        List.of(),
        List.of(),
        false,
        message);
  }

  /** One trigger's progress with Spark's rate rules; source metrics only for a batch that ran. */
  private StreamingQueryProgress progress(
      long batchId,
      long triggerStart,
      List<String> starts,
      List<String> ends,
      long[] rowsPerSource,
      Double inputWindowSec,
      Map<String, Long> durations,
      Map<String, String> eventTime,
      List<StreamingQueryProgress.StateOperatorProgress> state,
      List<StreamingQueryProgress.SinkProgress> sinks,
      boolean ranBatch,
      String message) {
    long elapsed = clock.millis() - triggerStart;
    double processingSec = Math.max(1, elapsed) / 1000.0;
    List<StreamingQueryProgress.SourceProgress> sources = new ArrayList<>();
    long totalRows = 0;
    for (int i = 0; i < query.sources().size(); i++) {
      Source source = query.sources().get(i);
      long rows = rowsPerSource[i];
      totalRows += rows;
      sources.add(
          new StreamingQueryProgress.SourceProgress(
              source.description(),
              offset(source, starts.get(i)),
              offset(source, ends.get(i)),
              StreamingQueryProgress.SourceProgress.offset(source.latestOffset()),
              rows,
              inputRate(rows, inputWindowSec),
              rate(rows, processingSec),
              ranBatch ? source.metrics() : Map.of(),
              source.lag()));
    }
    return StreamingQueryProgress.of(
        checkpoint.queryId(),
        runId,
        query.name(),
        ProgressTime.format(triggerStart),
        batchId,
        elapsed,
        totalRows,
        inputRate(totalRows, inputWindowSec),
        rate(totalRows, processingSec),
        durations,
        eventTime,
        state,
        sources,
        sinks,
        message);
  }

  private static com.fasterxml.jackson.databind.JsonNode offset(Source source, String offset) {
    return offset == null
        ? null
        : StreamingQueryProgress.SourceProgress.offset(source.progressOffset(offset));
  }

  /**
   * Rows per second that arrived since the previous trigger started; 0 on the first trigger, which
   * has none (Spark divides by an infinite window).
   */
  private static Double inputRate(long rows, Double windowSec) {
    return windowSec == null ? Double.valueOf(0.0) : rate(rows, windowSec);
  }

  private static Double rate(long rows, Double seconds) {
    if (seconds == null || seconds <= 0) {
      return null;
    }
    return Math.round(rows / seconds * 10) / 10.0;
  }
}
