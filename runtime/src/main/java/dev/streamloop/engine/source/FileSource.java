package dev.streamloop.engine.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.checkpoint.LogFormat;
import dev.streamloop.engine.checkpoint.MetadataLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads new files of a directory (or glob), each exactly once. Planning a batch picks the oldest
 * unseen files within the read limits and records them in the source's checkpoint log ({@code
 * sources/<i>/<batchId>}) before the batch runs; the offset is that log's batch id, as Spark's
 * {"logOffset":N}. A re-planned batch id reuses its logged files, so a restart reads the same.
 */
public final class FileSource implements Source {
  /**
   * The source's settings.
   *
   * @param name The SQL table name.
   * @param columns The schema.
   * @param path A directory or glob.
   * @param maxFilesPerTrigger The most files per batch, or null.
   * @param maxBytesPerTrigger The most bytes per batch (at least one file), or null.
   * @param latestFirst Newest files first.
   * @param skipHeader Skip each file's first line (CSV with a header).
   */
  public record Settings(
      String name,
      List<Column> columns,
      String path,
      Integer maxFilesPerTrigger,
      Long maxBytesPerTrigger,
      boolean latestFirst,
      boolean skipHeader) {}

  private final Settings settings;
  private final RecordParser parser;
  private final BadRecords badRecords;
  private final MetadataLog log;
  private final FileListing listing;
  private final TreeMap<Long, List<FileEntry>> batches = new TreeMap<>();
  private final Set<String> seen = new HashSet<>();
  private List<FileEntry> pinned;
  private int latestAvailable;

  public FileSource(
      Settings settings, RecordParser parser, BadRecords badRecords, MetadataLog log) {
    this.settings = settings;
    this.parser = parser;
    this.badRecords = badRecords;
    this.log = log;
    this.listing = new FileListing(settings.path());
    for (long id : log.ids()) {
      List<FileEntry> files = readEntry(id);
      batches.put(id, files);
      files.forEach(f -> seen.add(f.path()));
    }
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
  public String planBatch(long batchId, String start) {
    if (batches.containsKey(batchId)) {
      return offset(batchId);
    }
    List<FileEntry> candidates = new ArrayList<>();
    for (FileEntry file : pinned != null ? pinned : listing.list()) {
      if (!seen.contains(file.path())) {
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
    if (selected.isEmpty()) {
      return start;
    }
    if (!log.add(batchId, serialize(selected))) {
      selected = readEntry(batchId);
    }
    batches.put(batchId, selected);
    selected.forEach(f -> seen.add(f.path()));
    return offset(batchId);
  }

  @Override
  public String latestOffset() {
    return "{\"unreadFiles\":" + latestAvailable + "}";
  }

  @Override
  public Iterator<Object[]> read(long batchId, String start, String end) {
    long from = start == null ? -1 : logOffset(start);
    List<FileEntry> files = new ArrayList<>();
    batches.subMap(from, false, logOffset(end), true).values().forEach(files::addAll);
    badRecords.reset();
    return new Rows(files, batchId);
  }

  @Override
  public Map<String, String> metrics() {
    return Map.of("numBadRecords", Long.toString(badRecords.count()));
  }

  private static String offset(long batchId) {
    return "{\"logOffset\":" + batchId + "}";
  }

  private static long logOffset(String offset) {
    try {
      return LogFormat.JSON.readTree(offset).path("logOffset").asLong();
    } catch (IOException e) {
      throw new IllegalStateException("not a file source offset: " + offset, e);
    }
  }

  private static String serialize(List<FileEntry> files) {
    List<String> lines = new ArrayList<>();
    for (FileEntry f : files) {
      lines.add(LogFormat.JSON.valueToTree(f).toString());
    }
    return LogFormat.write(lines);
  }

  private List<FileEntry> readEntry(long batchId) {
    Path file = log.file(batchId);
    String content = log.get(batchId).orElseThrow();
    List<FileEntry> files = new ArrayList<>();
    int line = 2;
    for (String json : LogFormat.read(file, content, 1)) {
      JsonNode node = LogFormat.parse(file, json, line++);
      files.add(
          new FileEntry(
              node.path("path").asText(),
              node.path("size").asLong(),
              node.path("modificationTime").asLong()));
    }
    return files;
  }

  /** The rows of a batch's files, file after file, line after line. */
  private final class Rows implements Iterator<Object[]> {
    private final Iterator<FileEntry> files;
    private final long batchId;
    private LineReader lines;
    private String currentFile;
    private long lineNumber;
    private Object[] next;

    Rows(List<FileEntry> files, long batchId) {
      this.files = files.iterator();
      this.batchId = batchId;
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          if (lines == null || !lines.next()) {
            if (lines != null) {
              lines.close();
            }
            if (!files.hasNext()) {
              lines = null;
              badRecords.finishBatch(batchId);
              return false;
            }
            open(files.next());
            continue;
          }
          lineNumber++;
          if (lines.lineLength() == 0 || (settings.skipHeader() && lineNumber == 1)) {
            continue;
          }
          try {
            next = parser.parse(lines.buffer(), lines.lineStart(), lines.lineLength());
          } catch (IllegalArgumentException e) {
            badRecords.handle(
                currentFile + " line " + lineNumber,
                e.getMessage(),
                new String(
                    lines.buffer(), lines.lineStart(), lines.lineLength(), StandardCharsets.UTF_8));
          }
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + currentFile + ": " + e.getMessage(), e);
      }
    }

    private void open(FileEntry file) throws IOException {
      currentFile = file.path();
      lineNumber = 0;
      lines = new LineReader(Files.newInputStream(Path.of(file.path())));
    }

    @Override
    public Object[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Object[] row = next;
      next = null;
      return row;
    }
  }
}
