package dev.streamloop.engine.source;

import com.google.common.collect.AbstractIterator;
import com.google.common.io.ByteStreams;
import dev.streamloop.engine.LogText;
import dev.streamloop.engine.PositionedRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * The rows of a batch's files (or a static table's), file after file, line after line, each line
 * parsed as a record; a line that does not parse, or is too long, follows the bad-record policy.
 */
final class FileRows extends AbstractIterator<Object[]> implements PositionedRows {
  private final Iterator<FileEntry> files;
  private final long batchId;
  private final FileSource.Settings settings;
  private final RecordParser parser;
  private final BadRecords badRecords;
  private final FileListing listing;
  private LineReader lines;
  private String currentFile;
  private long lineNumber;

  FileRows(
      List<FileEntry> files,
      long batchId,
      FileSource.Settings settings,
      RecordParser parser,
      BadRecords badRecords,
      FileListing listing) {
    this.files = files.iterator();
    this.batchId = batchId;
    this.settings = settings;
    this.parser = parser;
    this.badRecords = badRecords;
    this.listing = listing;
  }

  @Override
  protected Object[] computeNext() {
    try {
      while (true) {
        if (lines == null || !lines.next()) {
          if (lines != null) {
            lines.close();
          }
          if (!files.hasNext()) {
            lines = null;
            badRecords.finishBatch(batchId);
            return endOfData();
          }
          open(files.next());
          continue;
        }
        lineNumber++;
        if (lines.oversized()) {
          badRecords.handle(
              position(),
              "the line has "
                  + lines.oversizedLength()
                  + " bytes, more than a record may have ("
                  + settings.maxRecordBytes()
                  + ", spec.sources[].file.maxRecordSize)",
              new String(lines.oversizedPrefix(), StandardCharsets.UTF_8)
                  + "... (the first "
                  + lines.oversizedPrefix().length
                  + " bytes)");
          continue;
        }
        if (lines.lineLength() == 0 || (settings.skipHeader() && lineNumber == 1)) {
          continue;
        }
        try {
          return parser.parse(lines.buffer(), lines.lineStart(), lines.lineLength());
        } catch (IllegalArgumentException e) {
          badRecords.handle(
              position(),
              e.getMessage(),
              new String(
                  lines.buffer(), lines.lineStart(), lines.lineLength(), StandardCharsets.UTF_8));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read " + LogText.escape(currentFile) + ": " + LogText.escape(e.getMessage()), e);
    }
  }

  @Override
  public String position() {
    // file names come from whoever writes the directory: escaped, one cannot forge a log line
    return currentFile == null ? null : LogText.escape(currentFile) + " line " + lineNumber;
  }

  /**
   * Opens a batch's file and reads exactly the bytes it had when the batch listed it (recorded in
   * offsets/N), so that a re-run reads the same rows: lines appended since are not this batch's (as
   * in Spark, a file is read once), and a file that shrank or vanished fails the batch, naming it,
   * instead of losing rows silently.
   */
  private void open(FileEntry file) throws IOException {
    currentFile = file.path();
    lineNumber = 0;
    Path path = Path.of(file.path());
    long size;
    try {
      size = Files.size(path);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException(
          "cannot read "
              + LogText.escape(file.path())
              + ": the file was deleted after batch "
              + batchId
              + " listed it; put it back (the batch reads what it listed), or start from an"
              + " empty checkpoint (spec.checkpoint.resetNonce). Files must stay in place until"
              + " read; move them into the directory complete, never write them in place",
          e);
    }
    if (size < file.size()) {
      throw new UncheckedIOException(
          new IOException(
              "cannot read "
                  + LogText.escape(file.path())
                  + ": it has "
                  + size
                  + " bytes, but "
                  + file.size()
                  + " when batch "
                  + batchId
                  + " listed it (truncated or replaced); restore it. Files must be complete"
                  + " when they appear in the directory (write elsewhere, then move them in)"));
    }
    lines =
        new LineReader(
            ByteStreams.limit(Files.newInputStream(listing.openable(file.path())), file.size()),
            settings.maxRecordBytes());
  }
}
