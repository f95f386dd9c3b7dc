package dev.streamloop.engine.source;

import com.google.common.collect.Iterators;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.MetadataLog;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Generates rows (timestamp, value), as Spark's rate sources.
 *
 * <p>Per second ({@code rowsPerSecond}): the offset is whole seconds since the source's start time,
 * which is kept in its checkpoint log so restarts continue the same sequence; nothing is emitted in
 * the first second. With a ramp-up, the rate grows by rowsPerSecond/(ramp+1) each second until it
 * reaches rowsPerSecond. Values of the seconds (a, b] are [v(a), v(b)), their timestamps spread
 * evenly over each second.
 *
 * <p>Per batch ({@code rowsPerBatch}): the offset counts batches; batch k holds the values [k·R,
 * (k+1)·R), all stamped k seconds after the epoch; each available-now run takes exactly one batch,
 * the next after the checkpoint's last.
 */
public final class RateSource implements Source {
  private static final List<Column> COLUMNS =
      List.of(new Column("timestamp", ColumnKind.TIMESTAMP), new Column("value", ColumnKind.LONG));

  private final String name;
  private final long rowsPerSecond;
  private final long rampUpSeconds;
  private final long rowsPerBatch;
  private final Clock clock;
  private final long startTimeMs;
  private final Share share;
  private Long pinned;
  private boolean availableNow;
  private final MetadataLog log;

  /** Whether this process wrote the start time: it had none, so no batch of it may be restored. */
  private boolean startTimeWrittenNow;

  private RateSource(
      String name,
      long rowsPerSecond,
      long rampUpSeconds,
      long rowsPerBatch,
      Clock clock,
      MetadataLog log,
      Share share) {
    this.name = name;
    this.share = share;
    this.rowsPerSecond = rowsPerSecond;
    this.rampUpSeconds = rampUpSeconds;
    this.rowsPerBatch = rowsPerBatch;
    this.clock = clock;
    this.log = log;
    if (rowsPerSecond > 0) {
      startTimeWrittenNow = log.add(0, Long.toString(clock.millis()));
      String start = log.get(0).orElseThrow().trim();
      if (!start.matches("[0-9]+")) {
        throw new CheckpointException(
            log.file(0),
            "is not the rate source's start time (epoch milliseconds); restore it or start from an"
                + " empty checkpoint (spec.checkpoint.resetNonce)");
      }
      this.startTimeMs = Long.parseLong(start);
    } else {
      this.startTimeMs = 0;
    }
  }

  /** A source of {@code rowsPerSecond} rows per second of wall-clock time. */
  public static RateSource perSecond(
      String name, long rowsPerSecond, long rampUpSeconds, Clock clock, MetadataLog log) {
    return perSecond(name, rowsPerSecond, rampUpSeconds, clock, log, Share.ALL);
  }

  /** As above; the runner emits only the values of its {@code share}, so runners add up to it. */
  public static RateSource perSecond(
      String name,
      long rowsPerSecond,
      long rampUpSeconds,
      Clock clock,
      MetadataLog log,
      Share share) {
    return new RateSource(name, rowsPerSecond, rampUpSeconds, 0, clock, log, share);
  }

  /** A source of exactly {@code rowsPerBatch} rows per batch. */
  public static RateSource perBatch(String name, long rowsPerBatch, Clock clock, MetadataLog log) {
    return perBatch(name, rowsPerBatch, clock, log, Share.ALL);
  }

  /** As above; the runner emits only the values of its {@code share}. */
  public static RateSource perBatch(
      String name, long rowsPerBatch, Clock clock, MetadataLog log, Share share) {
    return new RateSource(name, 0, 0, rowsPerBatch, clock, log, share);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public String description() {
    return rowsPerBatch > 0
        ? "RatePerMicroBatchStream[rowsPerBatch=" + rowsPerBatch + "]"
        : "RateStream[rowsPerSecond="
            + rowsPerSecond
            + ", rampUpTimeSeconds="
            + rampUpSeconds
            + "]";
  }

  /**
   * A batch restored from the checkpoint while the start time was missing: the log lost it, and a
   * new one would stall the source for as long as it had run (or replay values). Refused.
   */
  @Override
  public void restore(long batchId, String end) {
    if (startTimeWrittenNow) {
      log.delete(0); // not a start time of this query's: the next start must refuse too
      throw new CheckpointException(
          log.file(0),
          "was missing, but the checkpoint has batches of this source (up to "
              + batchId
              + "): the rate source's start time is lost; restore it, or start from an empty"
              + " checkpoint (spec.checkpoint.resetNonce)");
    }
  }

  @Override
  public void pinForAvailableNow() {
    if (rowsPerBatch > 0) {
      availableNow = true; // pinned at the first planning, one batch past where the run starts
    } else {
      pinned = available(null);
    }
  }

  /** Its earliest is value 0 (a null offset); a rate source has no time to go back to. */
  @Override
  public String rewindOffset(Long timestampMs) {
    if (timestampMs != null) {
      return Source.super.rewindOffset(timestampMs);
    }
    return null;
  }

  @Override
  public String planBatch(long batchId, String start) {
    if (availableNow && pinned == null) {
      pinned = available(start); // Spark's rate-micro-batch: each run takes exactly one batch
    }
    long from = start == null ? 0 : Long.parseLong(start);
    long end = pinned != null ? pinned : available(start);
    return end <= from ? start : Long.toString(end);
  }

  private long available(String start) {
    if (rowsPerBatch > 0) {
      return (start == null ? 0 : Long.parseLong(start)) + 1;
    }
    return Math.max(0, (clock.millis() - startTimeMs) / 1000);
  }

  /** Every plan takes all the rows due by then: a rate source is never behind. */
  @Override
  public SourceLag lag() {
    return SourceLag.ofRecords(0, null);
  }

  @Override
  public String latestOffset() {
    return rowsPerBatch > 0 ? null : Long.toString(available(null));
  }

  @Override
  public Iterator<Object[]> read(long batchId, String start, String end) {
    long from = start == null ? 0 : Long.parseLong(start);
    long to = Long.parseLong(end);
    Iterator<Object[]> rows = rowsPerBatch > 0 ? perBatchRows(from, to) : perSecondRows(from, to);
    return share.isAll() ? rows : owned(rows);
  }

  /** The rows whose value is this runner's: a test source, so generating all is fine. */
  private Iterator<Object[]> owned(Iterator<Object[]> rows) {
    return Iterators.filter(rows, row -> share.owns((Long) row[1]));
  }

  private Iterator<Object[]> perBatchRows(long fromBatch, long toBatch) {
    return new Iterator<>() {
      long value = fromBatch * rowsPerBatch;

      @Override
      public boolean hasNext() {
        return value < toBatch * rowsPerBatch;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long v = value++;
        return new Object[] {v / rowsPerBatch * 1000, v};
      }
    };
  }

  private Iterator<Object[]> perSecondRows(long fromSecond, long toSecond) {
    return new Iterator<>() {
      long second = fromSecond + 1;
      long value = valueAt(fromSecond);

      @Override
      public boolean hasNext() {
        while (second <= toSecond && value >= valueAt(second)) {
          second++;
        }
        return second <= toSecond;
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        long first = valueAt(second - 1);
        long count = valueAt(second) - first;
        long ts = startTimeMs + (second - 1) * 1000 + (value - first) * 1000 / count;
        return new Object[] {ts, value++};
      }
    };
  }

  /** Rows emitted in the first {@code seconds} seconds. */
  long valueAt(long seconds) {
    long step = rowsPerSecond / (rampUpSeconds + 1);
    if (seconds <= rampUpSeconds) {
      return step * seconds * (seconds + 1) / 2;
    }
    return step * rampUpSeconds * (rampUpSeconds + 1) / 2
        + (seconds - rampUpSeconds) * rowsPerSecond;
  }
}
