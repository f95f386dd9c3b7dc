package dev.streamloop.engine.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleAndCsvSinkTest {
  private static final List<Column> COLUMNS =
      List.of(new Column("country", ColumnKind.STRING), new Column("n", ColumnKind.LONG));

  @TempDir Path dir;

  @Test
  void consolePrintsTheBatchHeaderAndAtMostNumRows() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleSink sink =
        new ConsoleSink(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, true);

    long total =
        sink.addBatch(
            7,
            COLUMNS,
            List.<Object[]>of(
                new Object[] {"DE", 1L},
                new Object[] {"a country with a very long name", 2L},
                new Object[] {"US", null}));

    assertThat(total).isEqualTo(3);
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
            -------------------------------------------
            Batch: 7
            -------------------------------------------
            +--------------------+-+
            |             country|n|
            +--------------------+-+
            |                  DE|1|
            |a country with a ...|2|
            +--------------------+-+
            only showing top 2 rows

            """);
  }

  @Test
  void consoleShowsNewlinesAndEscapeCodesInTheDataAsEscapes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleSink sink =
        new ConsoleSink(new PrintStream(bytes, true, StandardCharsets.UTF_8), 20, false);

    sink.addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {"\u001b[31mRED\nDE", 1L}));

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .contains("|\\u001b[31mRED\\nDE|1|")
        .doesNotContain("\u001b");
  }

  @Test
  void csvPartFilesQuoteWhatNeedsQuoting() throws Exception {
    FileSink sink = new FileSink(dir, new RowFormat(RowFormat.Kind.CSV, COLUMNS, true, ','));

    sink.addBatch(
        0, COLUMNS, List.<Object[]>of(new Object[] {"F,R", 2L}, new Object[] {"DE", null}));

    assertThat(Files.readAllLines(FileSink.committedFiles(dir).get(0)))
        .containsExactly("country,n", "\"F,R\",2", "DE,");
  }

  @Test
  void aNullCellStaysInItsColumnAndAnEmptyStringIsQuotedAsSparkWritesThem() throws Exception {
    List<Column> columns =
        List.of(
            new Column("a", ColumnKind.STRING),
            new Column("b", ColumnKind.LONG),
            new Column("c", ColumnKind.STRING),
            new Column("d", ColumnKind.LONG));
    Object[] row = {null, 0L, "", 10L};
    FileSink sink = new FileSink(dir, new RowFormat(RowFormat.Kind.CSV, columns, false, ','));

    sink.addBatch(0, columns, List.<Object[]>of(row));

    // Jackson's writeNull dropped the cell and shifted the row: 0,"",10 under a, b, c
    assertThat(Files.readAllLines(FileSink.committedFiles(dir).get(0)))
        .containsExactly(",0,\"\",10");
    assertThat(
            new String(
                new RowEncoder(RowFormat.Kind.CSV, columns, new int[] {0, 1, 2, 3}, ',')
                    .encode(row),
                java.nio.charset.StandardCharsets.UTF_8))
        .as("the Kafka sink's encoder")
        .isEqualTo(",0,\"\",10");
  }
}
