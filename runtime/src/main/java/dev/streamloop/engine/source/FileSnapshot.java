package dev.streamloop.engine.source;

import dev.streamloop.engine.Clock;
import dev.streamloop.engine.LogText;
import dev.streamloop.engine.StaticTable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A static table read from the files of a directory (or glob): every file read whole when the first
 * batch needs it, and again at the first batch after {@code refreshMs} has passed (0: never), as
 * Spark's static DataFrame is listed once. A file sink's output is read through its manifest, as
 * the streaming file source reads it. Bad records follow the query's policy; dead letters go to
 * {@code <table>-<snapshot time in ms>.jsonl}.
 */
public final class FileSnapshot implements StaticTable {
  private static final Logger LOG = LoggerFactory.getLogger(FileSnapshot.class);

  private final FileSource.Settings settings;
  private final RecordParser parser;
  private final BadRecords badRecords;
  private final FileListing listing;
  private final long refreshMs;
  private final Clock clock;
  private List<Object[]> rows;
  private long takenAtMs;

  public FileSnapshot(
      FileSource.Settings settings,
      RecordParser parser,
      BadRecords badRecords,
      long refreshMs,
      Clock clock) {
    this.settings = settings;
    this.parser = parser;
    this.badRecords = badRecords;
    this.listing = new FileListing(settings.path(), settings.volume());
    this.refreshMs = refreshMs;
    this.clock = clock;
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public Iterable<Object[]> rows() {
    long now = clock.millis();
    if (rows == null || (refreshMs > 0 && now - takenAtMs >= refreshMs)) {
      take(now);
    }
    return rows;
  }

  private void take(long now) {
    long started = System.nanoTime();
    List<FileEntry> files = listing.list();
    badRecords.reset();
    List<Object[]> taken = new ArrayList<>();
    for (Iterator<Object[]> it = new FileRows(files, now, settings, parser, badRecords, listing);
        it.hasNext(); ) {
      taken.add(it.next());
    }
    rows = taken;
    takenAtMs = now;
    LOG.info(
        "static table {}: {} rows from {} files of {} in {} ms{}",
        settings.name(),
        taken.size(),
        files.size(),
        LogText.escape(settings.path()),
        (System.nanoTime() - started) / 1_000_000,
        badRecords.count() > 0 ? ", " + badRecords.count() + " bad records" : "");
  }
}
