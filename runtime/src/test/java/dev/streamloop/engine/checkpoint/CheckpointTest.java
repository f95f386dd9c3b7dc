package dev.streamloop.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
  @TempDir Path dir;

  @Test
  void queryIdIsCreatedOnceAndKept() {
    String id = FileCheckpoint.open(dir).queryId();

    assertThat(FileCheckpoint.open(dir).queryId()).isEqualTo(id).hasSize(36);
  }

  @Test
  void entriesAreWrittenOnceAndNeverOverwritten() throws Exception {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    OffsetSeq first = new OffsetSeq(5, 1_000, Arrays.asList("{\"logOffset\":0}", null));

    assertThat(checkpoint.writeOffsets(0, first)).isTrue();
    assertThat(checkpoint.writeOffsets(0, new OffsetSeq(0, 2_000, List.of("x", "y")))).isFalse();
    assertThat(checkpoint.readOffsets(0)).contains(first);
    assertThat(Files.readString(dir.resolve("offsets/0")))
        .isEqualTo(
            "v1\n{\"batchWatermarkMs\":5,\"batchTimestampMs\":1000,\"conf\":{}}\n"
                + "{\"logOffset\":0}\n-\n");
    try (Stream<Path> files = Files.list(dir.resolve("offsets"))) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("0");
    }
  }

  @Test
  void retentionKeepsTheLastBatches() {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    for (long b = 0; b < 5; b++) {
      checkpoint.writeOffsets(b, new OffsetSeq(0, b, List.of("1")));
      checkpoint.writeCommit(b, new CommitEntry(0));
    }

    checkpoint.purge(4, 2);

    assertThat(new MetadataLog(dir.resolve("offsets")).ids()).containsExactly(2L, 3L, 4L);
    assertThat(new MetadataLog(dir.resolve("commits")).ids()).containsExactly(2L, 3L, 4L);
  }

  @Test
  void retentionPerBatchKeepsASlidingWindow() {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    for (long b = 0; b < 10; b++) {
      checkpoint.writeOffsets(b, new OffsetSeq(0, b, List.of("1")));
      checkpoint.purge(b, 3);
      checkpoint.writeCommit(b, new CommitEntry(0));
    }

    assertThat(new MetadataLog(dir.resolve("offsets")).ids()).containsExactly(6L, 7L, 8L, 9L);
    assertThat(new MetadataLog(dir.resolve("commits")).ids()).containsExactly(6L, 7L, 8L, 9L);
  }

  @Test
  void aTruncatedOffsetsFileIsReportedWithItsName() throws Exception {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    checkpoint.writeOffsets(0, new OffsetSeq(0, 1, List.of("{\"logOffset\":0}")));
    Path file = dir.resolve("offsets/0");
    String content = Files.readString(file);
    Files.writeString(file, content.substring(0, content.length() - 6));

    assertThatThrownBy(() -> checkpoint.readOffsets(0))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("truncated");
  }

  @Test
  void corruptJsonIsReportedWithFileAndLine() throws Exception {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    Files.createDirectories(dir.resolve("commits"));
    Files.writeString(dir.resolve("commits/3"), "v1\n{\"nextBatchWatermarkMs\":1\n");

    assertThatThrownBy(() -> checkpoint.readCommit(3))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("commits/3").toString())
        .hasMessageContaining("corrupt JSON on line 2");
  }

  @Test
  void anUnknownVersionIsReported() throws Exception {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    Files.createDirectories(dir.resolve("offsets"));
    Files.writeString(dir.resolve("offsets/0"), "v9\n{}\n");

    assertThatThrownBy(() -> checkpoint.readOffsets(0))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("unknown format");
  }

  @Test
  void aDamagedMetadataFileIsReported() throws Exception {
    Files.writeString(dir.resolve("metadata"), "{\"id\":");

    assertThatThrownBy(() -> FileCheckpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("metadata").toString());
  }

  @Test
  void tempFilesAreIgnoredAndRemoved() throws Exception {
    MetadataLog log = new MetadataLog(dir.resolve("log"));
    log.add(1, "x");
    Files.writeString(dir.resolve("log/.2.abc.tmp"), "partial");

    assertThat(log.ids()).containsExactly(1L);
  }

  private Checkpoint withBatches(int count) {
    Checkpoint checkpoint = FileCheckpoint.open(dir);
    for (long b = 0; b < count; b++) {
      checkpoint.writeOffsets(b, new OffsetSeq(0, b, List.of("1")));
      checkpoint.writeCommit(b, new CommitEntry(0));
    }
    return checkpoint;
  }

  @Test
  void aLostMetadataFileIsRefusedNotReplacedByANewQueryId() throws Exception {
    withBatches(3);
    Files.delete(dir.resolve("metadata"));

    // a new id would give the Kafka sink a new transactional id: exactly-once lost (probe F-01)
    assertThatThrownBy(() -> FileCheckpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(
            dir.resolve("metadata") + ": missing, but the checkpoint has batches");
    assertThat(dir.resolve("metadata")).doesNotExist();
  }

  @Test
  void lostOffsetsAreRefusedNotStartedAgainFromBatchZero() throws Exception {
    withBatches(3);
    try (Stream<Path> files = Files.list(dir.resolve("offsets"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    // batch ids would restart at 0, and the sinks would skip them as written (probe F-08)
    assertThatThrownBy(() -> FileCheckpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("has batches up to none but commits/ has batch 2");
  }

  @Test
  void anEntryNameTheLogNeverWritesIsRefusedNamingIt() throws Exception {
    withBatches(6);
    Files.copy(dir.resolve("offsets/5"), dir.resolve("offsets/007"));

    assertThatThrownBy(() -> new MetadataLog(dir.resolve("offsets")).ids())
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("offsets/007") + ": is not an entry this log writes");
    Files.delete(dir.resolve("offsets/007"));
    Files.writeString(dir.resolve("offsets/99999999999999999999"), "v1\n");
    assertThatThrownBy(() -> new MetadataLog(dir.resolve("offsets")).ids())
        .hasMessageContaining("99999999999999999999: is not an entry this log writes");
  }

  @Test
  void metadataThatIsNotUtf8SaysSo() throws Exception {
    Files.write(dir.resolve("metadata"), new byte[] {0, (byte) 0xff});

    assertThatThrownBy(() -> FileCheckpoint.open(dir))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("is not UTF-8 text");
  }
}
