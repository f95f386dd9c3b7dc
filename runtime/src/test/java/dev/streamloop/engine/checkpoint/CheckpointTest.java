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
}
