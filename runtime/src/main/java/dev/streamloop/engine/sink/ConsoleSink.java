package dev.streamloop.engine.sink;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.LogText;
import dev.streamloop.engine.Sink;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints each batch as Spark's console sink does: a header with the batch id, then up to {@code
 * numRows} rows as a table. No delivery guarantee: a re-run batch is printed again.
 */
public final class ConsoleSink implements Sink {
  private final PrintStream out;
  private final int numRows;
  private final boolean truncate;

  public ConsoleSink(PrintStream out, int numRows, boolean truncate) {
    this.out = out;
    this.numRows = numRows;
    this.truncate = truncate;
  }

  @Override
  public String description() {
    return "ConsoleSink";
  }

  @Override
  public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
    List<String[]> shown = new ArrayList<>();
    long total = 0;
    for (Object[] row : rows) {
      if (total++ < numRows) {
        String[] cells = new String[columns.size()];
        for (int i = 0; i < cells.length; i++) {
          // a newline or an escape sequence in the data must not break the table or the terminal
          cells[i] =
              row[i] == null ? "null" : LogText.escape(RowFormat.text(columns.get(i), row[i]));
          if (truncate && cells[i].length() > 20) {
            cells[i] = cells[i].substring(0, 17) + "...";
          }
        }
        shown.add(cells);
      }
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = columns.get(i).name().length();
      for (String[] cells : shown) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    text.append("-------------------------------------------\n")
        .append("Batch: ")
        .append(batchId)
        .append('\n')
        .append("-------------------------------------------\n");
    String line = separator(widths);
    text.append(line);
    text.append(cells(columns.stream().map(Column::name).toArray(String[]::new), widths));
    text.append(line);
    shown.forEach(cells -> text.append(cells(cells, widths)));
    text.append(line);
    if (total > numRows) {
      text.append("only showing top ").append(numRows).append(" rows\n");
    }
    out.print(text.append('\n'));
    out.flush();
    return total;
  }

  private static String separator(int[] widths) {
    StringBuilder s = new StringBuilder("+");
    for (int w : widths) {
      s.append("-".repeat(w)).append('+');
    }
    return s.append('\n').toString();
  }

  private static String cells(String[] cells, int[] widths) {
    StringBuilder s = new StringBuilder("|");
    for (int i = 0; i < cells.length; i++) {
      s.append(" ".repeat(widths[i] - cells[i].length())).append(cells[i]).append('|');
    }
    return s.append('\n').toString();
  }
}
