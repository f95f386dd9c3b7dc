package dev.streamloop.engine.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSinkTest {
  private static final List<Column> COLUMNS =
      List.of(new Column("ts", ColumnKind.TIMESTAMP), new Column("n", ColumnKind.LONG));

  @TempDir Path dir;

  private FileSink sink() {
    return new FileSink(dir, new RowFormat(RowFormat.Kind.JSON, COLUMNS, false, ','));
  }

  private static List<String> committedLines(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Path file : FileSink.committedFiles(dir)) {
      lines.addAll(Files.readAllLines(file));
    }
    return lines;
  }

  @Test
  void writesAPartFileAndAManifestEntryPerBatch() throws Exception {
    FileSink sink = sink();

    long written =
        sink.addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1_700_000_000_123L, 1L}));

    assertThat(written).isEqualTo(1);
    assertThat(committedLines(dir))
        .containsExactly("{\"ts\":\"2023-11-14T22:13:20.123Z\",\"n\":1}");
    assertThat(Files.readString(dir.resolve("_spark_metadata/0")))
        .startsWith("v1\n{\"path\":\"file:")
        .contains("\"action\":\"add\"");
  }

  @Test
  void aBatchWithoutRowsWritesNoPartFileButIsCommitted() throws Exception {
    FileSink sink = sink();

    assertThat(sink.addBatch(0, COLUMNS, List.of())).isZero();

    assertThat(partFiles()).isEmpty();
    assertThat(FileSink.committedFiles(dir)).isEmpty();
    assertThat(Files.readString(dir.resolve("_spark_metadata/0"))).isEqualTo("v1\n");
    assertThat(sink().addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1L, 1L})))
        .as("batch 0 is committed: a re-run is skipped")
        .isEqualTo(-1);
  }

  private List<String> partFiles() throws Exception {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")).toList();
    }
  }

  @Test
  void aReDeliveredBatchIsSkipped() throws Exception {
    FileSink sink = sink();
    sink.addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1L, 1L}));

    long again = sink().addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1L, 1L}));

    assertThat(again).isEqualTo(-1);
    assertThat(committedLines(dir)).hasSize(1);
  }

  @Test
  void partFilesOfAFailedBatchNeverEnterTheManifestAndAreRemoved() throws Exception {
    FileSink sink = sink();
    sink.addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1L, 1L}));
    Iterable<Object[]> failing =
        () ->
            new java.util.Iterator<>() {
              int n;

              @Override
              public boolean hasNext() {
                return true;
              }

              @Override
              public Object[] next() {
                if (n++ == 3) {
                  throw new IllegalStateException("query failed midway");
                }
                return new Object[] {2L, 2L};
              }
            };

    assertThatThrownBy(() -> sink.addBatch(1, COLUMNS, failing)).hasMessage("query failed midway");
    assertThat(partFiles()).as("the failed batch's part file, removed when it failed").hasSize(1);
    Files.writeString(dir.resolve("part-00000-orphan.json"), "{\"n\":9}\n");
    sink();

    assertThat(committedLines(dir))
        .containsExactly("{\"ts\":\"1970-01-01T00:00:00.001Z\",\"n\":1}");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")))
          .hasSize(1);
    }
  }

  @Test
  void aPathThatCannotBeADirectoryIsReportedWithTheFix() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    assertThatThrownBy(
            () ->
                new FileSink(
                    file.resolve("out"), new RowFormat(RowFormat.Kind.JSON, COLUMNS, false, ',')))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("file sink directory " + file.resolve("out") + " is not writable")
        .hasMessageContaining("spec.runner.volumes");
  }
}
