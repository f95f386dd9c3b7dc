package dev.streamloop.engine.source;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.LogFormat;
import dev.streamloop.engine.checkpoint.MetadataLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads new files of a directory (or glob), each exactly once; with several runners, only the files
 * of this runner's {@link Share}. Planning a batch picks the oldest unseen files within the read
 * limits; the offset carries them ({@link FileOffset}), so offsets/N records what batch N reads and
 * a re-run reads the same. What has been seen survives restarts through the retained offsets
 * entries ({@link #restore}) and, for older batches, the source's own log ({@code
 * sources/<i>/<id>}), to which the files of several batches are compacted at once, at least every
 * {@code compactInterval} batches (which must not exceed the offsets retained).
 */
public final class FileSource implements Source {
  /** Batches between compactions of the seen files into the source's log, at most. */
  public static final int DEFAULT_COMPACT_INTERVAL = 10;

  /**
   * The source's settings.
   *
   * @param name The SQL table name.
   * @param columns The schema.
   * @param path A directory or glob.
   * @param volume The directory of the volume that holds it: links that lead out are not read.
   * @param maxFilesPerTrigger The most files per batch, or null.
   * @param maxBytesPerTrigger The most bytes per batch (at least one file), or null.
   * @param latestFirst Newest files first.
   * @param skipHeader Skip each file's first line (CSV with a header).
   * @param maxRecordBytes The longest line read as a record; longer ones are bad records.
   * @param share The files this runner reads when several share the query.
   */
  public record Settings(
      String name,
      List<Column> columns,
      String path,
      String volume,
      Integer maxFilesPerTrigger,
      Long maxBytesPerTrigger,
      boolean latestFirst,
      boolean skipHeader,
      int maxRecordBytes,
      Share share) {}

  private final Settings settings;
  private final RecordParser parser;
  private final BadRecords badRecords;
  private final MetadataLog log;
  private final int compactInterval;
  private final FileListing listing;
  private final Set<String> seen = new HashSet<>();

  /** Planned or restored batches whose files are not in the source's log yet. */
  private final TreeMap<Long, List<FileEntry>> uncompacted = new TreeMap<>();

  private long lastCompacted = -1;

  /** The oldest batch whose offsets entry was restored at start (MAX_VALUE: none, or checked). */
  private long oldestRestored = Long.MAX_VALUE;

  private List<FileEntry> pinned;
  private int latestAvailable;
  private SourceLag lag;

  public FileSource(
      Settings settings,
      RecordParser parser,
      BadRecords badRecords,
      MetadataLog log,
      int compactInterval) {
    if (compactInterval < 1) {
      throw new IllegalArgumentException("compactInterval must be at least 1");
    }
    this.settings = settings;
    this.parser = parser;
    this.badRecords = badRecords;
    this.log = log;
    this.compactInterval = compactInterval;
    this.listing = new FileListing(settings.path(), settings.volume());
    for (long id : log.ids()) {
      readEntry(id).forEach(f -> seen.add(f.path()));
      lastCompacted = id;
    }
  }

  @Override
  public boolean replayable() {
    return false;
  }

  @Override
  public boolean takeFailedRow(String position, String reason, String record) {
    return badRecords.takeFailedRow(position, reason, record);
  }

  /** Whether {@code path} is a glob (a directory otherwise). */
  public static boolean isGlob(String path) {
    return FileListing.isGlob(path);
  }

  @Override
  public String name() {
    return settings.name();
  }

  @Override
  public List<Column> columns() {
    return settings.columns();
  }

  @Override
  public String description() {
    return "FileSource[" + settings.path() + "]";
  }

  @Override
  public void pinForAvailableNow() {
    pinned = listing.list();
  }

  @Override
  public void restore(long batchId, String end) {
    oldestRestored = Math.min(oldestRestored, batchId);
    FileOffset offset = FileOffset.parse(end);
    offset.files().forEach(f -> seen.add(f.path()));
    if (offset.logOffset() > lastCompacted) {
      uncompacted.put(offset.logOffset(), offset.files());
    }
  }

  @Override
  public String planBatch(long batchId, String start) {
    checkLogCoversPurgedBatches();
    compactIfDue(batchId);
    List<FileEntry> candidates = new ArrayList<>();
    for (FileEntry file : pinned != null ? pinned : listing.list()) {
      if (!seen.contains(file.path()) && settings.share().owns(file.path())) {
        candidates.add(file);
      }
    }
    latestAvailable = candidates.size();
    if (settings.latestFirst()) {
      Collections.reverse(candidates);
    }
    List<FileEntry> selected = new ArrayList<>();
    long bytes = 0;
    for (FileEntry file : candidates) {
      if (settings.maxFilesPerTrigger() != null
          && selected.size() >= settings.maxFilesPerTrigger()) {
        break;
      }
      if (settings.maxBytesPerTrigger() != null
          && !selected.isEmpty()
          && bytes + file.size() > settings.maxBytesPerTrigger()) {
        break;
      }
      selected.add(file);
      bytes += file.size();
    }
    lag = unread(candidates, selected.size());
    if (selected.isEmpty()) {
      return start;
    }
    uncompacted.put(batchId, selected);
    selected.forEach(f -> seen.add(f.path()));
    return new FileOffset(batchId, selected).toJson();
  }

  /**
   * The batches whose offsets entries retention purged must be in the source's log (their files
   * were compacted into it first): a log that does not reach them lost entries, and their files
   * would be read again, twice into the sinks.
   */
  private void checkLogCoversPurgedBatches() {
    if (oldestRestored != Long.MAX_VALUE
        && oldestRestored > 0
        && lastCompacted < oldestRestored - 1) {
      throw new CheckpointException(
          log.dir(),
          "holds the files read up to batch "
              + lastCompacted
              + ", but the checkpoint keeps offsets only from batch "
              + oldestRestored
              + ": the entries in between are lost, and their files would be read again;"
              + " restore them, or start from an empty checkpoint (spec.checkpoint.resetNonce)");
    }
    oldestRestored = Long.MAX_VALUE; // checked once, at the first plan
  }

  /**
   * Writes the files of the batches before {@code batchId} to the source's log once the oldest of
   * them is {@code compactInterval} batches old, before retention can purge its offsets entry. They
   * are all in durable offsets entries already: the log only has to outlive those.
   */
  private void compactIfDue(long batchId) {
    if (uncompacted.isEmpty() || batchId - uncompacted.firstKey() < compactInterval) {
      return;
    }
    List<FileEntry> files = new ArrayList<>();
    uncompacted.values().forEach(files::addAll);
    long id = uncompacted.lastKey();
    log.add(id, serialize(files)); // false: written before a crash, with the same files
    lastCompacted = id;
    uncompacted.clear();
  }

  /** The candidates after the first {@code read}: not read by this batch. */
  private static SourceLag unread(List<FileEntry> candidates, int read) {
    long bytes = 0;
    long oldest = Long.MAX_VALUE;
    for (FileEntry file : candidates.subList(read, candidates.size())) {
      bytes += file.size();
      oldest = Math.min(oldest, file.modificationTime());
    }
    return SourceLag.ofFiles(candidates.size() - read, bytes, oldest);
  }

  @Override
  public SourceLag lag() {
    return lag;
  }

  @Override
  public String progressOffset(String offset) {
    return FileOffset.forProgress(offset);
  }

  @Override
  public String latestOffset() {
    return "{\"unreadFiles\":" + latestAvailable + "}";
  }

  @Override
  public Iterator<Object[]> read(long batchId, String start, String end) {
    badRecords.reset();
    return new FileRows(
        FileOffset.parse(end).files(), batchId, settings, parser, badRecords, listing);
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of("numBadRecords", Long.toString(badRecords.count()));
  }

  private static String serialize(List<FileEntry> files) {
    List<String> lines = new ArrayList<>();
    for (FileEntry f : files) {
      lines.add(FileOffset.toJson(f).toString());
    }
    return LogFormat.write(lines);
  }

  private List<FileEntry> readEntry(long id) {
    Path file = log.file(id);
    String content = log.get(id).orElseThrow();
    List<FileEntry> files = new ArrayList<>();
    int line = 2;
    for (String json : LogFormat.read(file, content, 1)) {
      files.add(FileOffset.fromJson(LogFormat.parse(file, json, line++)));
    }
    return files;
  }
}
