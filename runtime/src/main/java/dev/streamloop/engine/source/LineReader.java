package dev.streamloop.engine.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads '\n'-terminated lines as byte ranges of a reused buffer (no String per line), so that
 * parsers can decode straight from the bytes. A final line without '\n' is returned too; a trailing
 * '\r' is dropped.
 */
final class LineReader implements AutoCloseable {
  private final InputStream in;
  private byte[] buffer = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  private int lineStart;
  private int lineLength;

  LineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    while (true) {
      for (int i = start; i < end; i++) {
        if (buffer[i] == '\n') {
          setLine(start, i);
          start = i + 1;
          return true;
        }
      }
      if (eof) {
        if (start < end) {
          setLine(start, end);
          start = end;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void setLine(int from, int to) {
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

  @Override
  public void close() throws IOException {
    in.close();
  }
}
