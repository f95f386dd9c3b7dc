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
    // a batch killed with its process leaves its part file; a user's own file is not the sink's
    Files.writeString(
        dir.resolve("part-00000-0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9-batch-1.json"), "{\"n\":9}\n");
    Files.writeString(dir.resolve("part-00000-mine.json"), "{\"n\":7}\n");

    sink().open(0);

    assertThat(committedLines(dir))
        .containsExactly("{\"ts\":\"1970-01-01T00:00:00.001Z\",\"n\":1}");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")))
          .hasSize(2)
          .contains("part-00000-mine.json");
    }
  }

  @Test
  void aManifestThatLostCommittedBatchesStopsTheSinkAndDeletesNothing() throws Exception {
    FileSink sink = sink();
    sink.addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1L, 1L}));
    sink.addBatch(1, COLUMNS, List.<Object[]>of(new Object[] {2L, 2L}));
    List<String> written = partFiles();
    Files.delete(dir.resolve("_spark_metadata/0"));

    // the part files of batch 0 were deleted at start before, as if never committed
    assertThatThrownBy(() -> sink().open(1))
        .isInstanceOf(dev.streamloop.engine.SinkTargetException.class)
        .hasMessageContaining("file sink " + dir + " is damaged")
        .hasMessageContaining("belongs to batch 0, which the query committed");
    assertThat(partFiles()).containsExactlyInAnyOrderElementsOf(written);

    Files.delete(dir.resolve("_spark_metadata/1"));
    assertThatThrownBy(() -> sink().open(1))
        .hasMessageContaining("lists batches up to -1 but the query committed up to 1");
    assertThat(partFiles()).containsExactlyInAnyOrderElementsOf(written);
  }

  @Test
  void aSinkAheadOfTheQuerysCheckpointIsRefusedInsteadOfSkippingItsBatches() throws Exception {
    FileSink sink = sink();
    for (long batch = 0; batch < 4; batch++) {
      sink.addBatch(batch, COLUMNS, List.<Object[]>of(new Object[] {batch, batch}));
    }

    // a fresh (or reset, or damaged) checkpoint, or another query on this path: batches 0..3 of
    // this query would be skipped as already written, and their rows lost
    assertThatThrownBy(() -> sink().open(-1))
        .hasMessageContaining(
            "holds batches up to 3 but this query's checkpoint committed only up to -1")
        .hasMessageContaining("a sink path of its own");
    // one batch ahead: a crash between the sink's commit and the checkpoint's, which is fine
    sink().open(2);
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
