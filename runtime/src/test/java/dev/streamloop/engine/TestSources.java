package dev.streamloop.engine;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/** A replayable in-memory source and a recording sink, for loop tests. */
final class TestSources {
  private TestSources() {}

  /** Rows added by the test; the offset is how many rows exist; an optional read limit. */
  static class MemorySource implements Source {
    final List<Long> values = new ArrayList<>();
    final List<String> commits = new ArrayList<>();
    final List<String> restored = new ArrayList<>();
    Integer maxRowsPerBatch;
    Integer pinned;

    @Override
    public String name() {
      return "numbers";
    }

    @Override
    public List<Column> columns() {
      return List.of(new Column("n", ColumnKind.LONG));
    }

    @Override
    public String description() {
      return "MemorySource";
    }

    @Override
    public synchronized void pinForAvailableNow() {
      pinned = values.size();
    }

    @Override
    public synchronized String planBatch(long batchId, String start) {
      int from = start == null ? 0 : Integer.parseInt(start);
      int to = pinned != null ? pinned : values.size();
      if (maxRowsPerBatch != null) {
        to = Math.min(to, from + maxRowsPerBatch);
      }
      return to == from ? start : Integer.toString(to);
    }

    @Override
    public synchronized Iterator<Object[]> read(long batchId, String start, String end) {
      int from = start == null ? 0 : Integer.parseInt(start);
      List<Object[]> rows = new ArrayList<>();
      for (int i = from; i < Integer.parseInt(end); i++) {
        rows.add(new Object[] {values.get(i)});
      }
      return rows.iterator();
    }

    @Override
    public void commit(String end) {
      commits.add(end);
    }

    @Override
    public void restore(long batchId, String end) {
      restored.add(batchId + ":" + end);
    }
  }

  /** Records every batch it gets; runs a hook per batch (to advance a clock, or to fail). */
  static final class RecordingSink implements Sink {
    final List<Long> batchIds = new ArrayList<>();
    final List<List<Object>> rows = new ArrayList<>();
    Consumer<Long> onBatch = id -> {};

    @Override
    public String description() {
      return "RecordingSink";
    }

    @Override
    public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> batch) {
      onBatch.accept(batchId);
      batchIds.add(batchId);
      long n = 0;
      for (Object[] row : batch) {
        rows.add(List.of(row));
        n++;
      }
      return n;
    }
  }

  /** The identity query: each row as it is, and CURRENT_TIMESTAMP recorded. */
  static final class PassThrough implements BatchQuery {
    final List<Long> timestamps = new ArrayList<>();

    @Override
    public List<Column> outputColumns() {
      return List.of(new Column("n", ColumnKind.LONG));
    }

    @Override
    public Iterable<Object[]> execute(java.util.Map<String, Iterable<Object[]>> inputs, long ts) {
      timestamps.add(ts);
      return inputs.get("numbers");
    }
  }
}
