package dev.streamloop.engine.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads '\n'-terminated lines as byte ranges of a reused buffer (no String per line), so that
 * parsers can decode straight from the bytes. A final line without '\n' is returned too; a trailing
 * '\r' is dropped.
 *
 * <p>A line longer than {@code maxLine} bytes is never held whole: its first bytes are kept, the
 * rest is skipped up to its end, and it is returned as {@link #oversized()}, so that one huge line
 * (a file that is not line-delimited, a runaway writer) is a bad record under the query's policy
 * instead of an OutOfMemoryError on every restart.
 */
final class LineReader implements AutoCloseable {
  /** How much of an oversized line is kept, for the dead letters. */
  static final int OVERSIZED_PREFIX = 1024;

  private final InputStream in;
  private final int maxLine;
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  private int lineStart;
  private int lineLength;
  private byte[] oversizedPrefix;
  private long oversizedLength = -1;

  LineReader(InputStream in, int maxLine) {
    this.in = in;
    this.maxLine = maxLine;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    oversizedLength = -1;
    int scanFrom = start;
    while (true) {
      int newline = indexOfNewline(scanFrom);
      if (newline >= 0) {
        setLine(start, newline);
        start = newline + 1;
        return true;
      }
      if (end - start > maxLine) {
        skipOversized();
        return true;
      }
      if (eof) {
        if (start < end) {
          setLine(start, end);
          start = end;
          return true;
        }
        return false;
      }
      int scanned = end - start;
      fill(); // moves the line to the buffer's start
      scanFrom = start + scanned;
    }
  }

  /** The line at {@code start} is too long: keep its first bytes, skip the rest to its end. */
  private void skipOversized() throws IOException {
    oversizedPrefix =
        Arrays.copyOfRange(buffer, start, start + Math.min(OVERSIZED_PREFIX, end - start));
    long length = 0;
    while (true) {
      int newline = indexOfNewline(start);
      if (newline >= 0) {
        length += newline - start;
        start = newline + 1;
        break;
      }
      length += end - start;
      start = end;
      if (eof) {
        break;
      }
      fill();
    }
    oversizedLength = length;
    lineStart = 0;
    lineLength = 0;
  }

  private int indexOfNewline(int from) {
    for (int i = from; i < end; i++) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The line is {@code [from, to)} of the buffer; one longer than the limit is oversized. */
  private void setLine(int from, int to) {
    if (to - from > maxLine) {
      oversizedPrefix =
          Arrays.copyOfRange(buffer, from, from + Math.min(OVERSIZED_PREFIX, to - from));
      oversizedLength = to - from;
      lineStart = 0;
      lineLength = 0;
      return;
    }
    lineStart = from;
    lineLength = (to > from && buffer[to - 1] == '\r') ? to - from - 1 : to - from;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buffer.length) {
      buffer = Arrays.copyOf(buffer, buffer.length * 2);
    }
    int read = in.read(buffer, end, buffer.length - end);
    if (read < 0) {
      eof = true;
    } else {
      end += read;
    }
  }

  byte[] buffer() {
    return buffer;
  }

  int lineStart() {
    return lineStart;
  }

  int lineLength() {
    return lineLength;
  }

  /** Whether the current line was longer than the limit (its bytes are not in the buffer). */
  boolean oversized() {
    return oversizedLength >= 0;
  }

  /** An oversized line's length in bytes. */
  long oversizedLength() {
    return oversizedLength;
  }

  /** An oversized line's first {@value #OVERSIZED_PREFIX} bytes. */
  byte[] oversizedPrefix() {
    return oversizedPrefix;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
