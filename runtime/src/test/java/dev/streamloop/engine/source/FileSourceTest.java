package dev.streamloop.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.SourceLag;
import dev.streamloop.engine.checkpoint.CheckpointException;
import dev.streamloop.engine.checkpoint.MetadataLog;
import dev.streamloop.engine.sink.FileSink;
import dev.streamloop.engine.sink.RowFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
  private static final List<Column> COLUMNS =
      List.of(
          new Column("ts", ColumnKind.TIMESTAMP),
          new Column("country", ColumnKind.STRING),
          new Column("amount", ColumnKind.DOUBLE));

  private static final int MAX_RECORD_BYTES = 200;

  @TempDir Path dir;

  private Path in() throws Exception {
    return Files.createDirectories(dir.resolve("in"));
  }

  private void file(String name, long mtimeSeconds, String... lines) throws Exception {
    Path file = in().resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeSeconds * 1000));
  }

  private FileSource source(Integer maxFiles, Long maxBytes, BadRecords.Policy policy)
      throws Exception {
    return source(maxFiles, maxBytes, policy, FileSource.DEFAULT_COMPACT_INTERVAL);
  }

  private FileSource source(
      Integer maxFiles, Long maxBytes, BadRecords.Policy policy, int compactInterval)
      throws Exception {
    return new FileSource(
        new FileSource.Settings(
            "orders",
            COLUMNS,
            in().toString(),
            dir.toString(),
            maxFiles,
            maxBytes,
            false,
            false,
            MAX_RECORD_BYTES,
            Share.ALL),
        new JsonRecordParser(COLUMNS),
        new BadRecords(policy, dir.resolve("dead"), "orders"),
        new MetadataLog(dir.resolve("checkpoint/sources/0")),
        compactInterval);
  }

  private FileSource source() throws Exception {
    return source(null, null, BadRecords.Policy.FAIL);
  }

  private void event(String name, long mtimeSeconds) throws Exception {
    file(name, mtimeSeconds, "{\"ts\": " + mtimeSeconds + ", \"country\": \"DE\", \"amount\": 1}");
  }

  private static List<List<Object>> rows(FileSource source, long batch, String start, String end) {
    List<List<Object>> rows = new ArrayList<>();
    source.read(batch, start, end).forEachRemaining(r -> rows.add(List.of(r)));
    return rows;
  }

  @Test
  void aFileSinksOutputIsReadFromItsManifestOnlySoAnUncommittedBatchIsNeverRead() throws Exception {
    FileSink upstream = new FileSink(in(), new RowFormat(RowFormat.Kind.JSON, COLUMNS, false, ','));
    upstream.addBatch(0, COLUMNS, List.<Object[]>of(new Object[] {1_000L, "DE", 1.0}));
    // the upstream query's next batch is being written (or died writing): not in the manifest
    file("part-00000-in-flight.json", 1, "{\"ts\": 2, \"country\": \"FR\", \"amount\": 2.0}");
    FileSource source = source();

    String first = source.planBatch(0, null);
    assertThat(rows(source, 0, null, first)).extracting(r -> r.get(1)).containsExactly("DE");
    assertThat(source.planBatch(1, first)).as("nothing committed since").isEqualTo(first);

    upstream.addBatch(1, COLUMNS, List.<Object[]>of(new Object[] {3_000L, "PL", 3.0}));
    String second = source.planBatch(1, first);
    assertThat(rows(source, 1, first, second)).extracting(r -> r.get(1)).containsExactly("PL");
  }

  @Test
  void picksFilesOldestFirstWithinTheLimitIgnoringHiddenAndTemporaryOnes() throws Exception {
    file("b.json", 20, "{\"ts\": 2, \"country\": \"FR\", \"amount\": 2.5}");
    file("a.json", 30, "{\"ts\": 3, \"country\": \"US\", \"amount\": 3}");
    file("c.json", 10, "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}");
    file(".hidden.json", 1, "{}");
    file("_SUCCESS", 1, "");
    file("d.json.tmp", 1, "{}");
    FileSource source = source(2, null, BadRecords.Policy.FAIL);

    String end0 = source.planBatch(0, null);
    String end1 = source.planBatch(1, end0);

    assertThat(source.progressOffset(end0)).isEqualTo("{\"logOffset\":0}");
    assertThat(end0).contains("c.json").contains("b.json").doesNotContain("a.json");
    assertThat(rows(source, 0, null, end0))
        .containsExactly(List.of(1L, "DE", 1.0), List.of(2L, "FR", 2.5));
    assertThat(rows(source, 1, end0, end1)).containsExactly(List.of(3L, "US", 3.0));
    assertThat(source.planBatch(2, end1)).isEqualTo(end1);
  }

  @Test
  void runnersSharingTheQueryReadDisjointFilesThatTogetherAreAll() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      event("f" + i + ".json", i + 1);
      names.add(in().resolve("f" + i + ".json").toString());
    }
    List<String> read = new ArrayList<>();
    for (int replica = 0; replica < 3; replica++) {
      FileSource share =
          new FileSource(
              new FileSource.Settings(
                  "orders",
                  COLUMNS,
                  in().toString(),
                  dir.toString(),
                  null,
                  null,
                  false,
                  false,
                  MAX_RECORD_BYTES,
                  new Share(replica, 3)),
              new JsonRecordParser(COLUMNS),
              new BadRecords(BadRecords.Policy.FAIL, null, "orders"),
              new MetadataLog(dir.resolve("checkpoint-" + replica + "/sources/0")),
              FileSource.DEFAULT_COMPACT_INTERVAL);
      String end = share.planBatch(0, null);
      if (end != null) {
        FileOffset.parse(end).files().forEach(f -> read.add(f.path()));
      }
    }

    assertThat(read).containsExactlyInAnyOrderElementsOf(names); // each file once, by one runner
  }

  @Test
  void lagCountsTheFilesAndBytesAPlanLeftUnreadAndTheOldestOnesTime() throws Exception {
    event("a.json", 10);
    event("b.json", 20);
    event("c.json", 30);
    long bytes = Files.size(in().resolve("b.json")) + Files.size(in().resolve("c.json"));
    FileSource source = source(1, null, BadRecords.Policy.FAIL);

    String end0 = source.planBatch(0, null);
    assertThat(source.lag()).isEqualTo(new SourceLag(null, 2L, bytes, "1970-01-01T00:00:20.000Z"));
    String end1 = source.planBatch(1, end0);
    source.planBatch(2, end1);
    assertThat(source.lag()).as("caught up").isEqualTo(new SourceLag(null, 0L, 0L, null));
  }

  @Test
  void maxBytesPerTriggerTakesAtLeastOneFile() throws Exception {
    file("a.json", 1, "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}");
    file("b.json", 2, "{\"ts\": 2, \"country\": \"DE\", \"amount\": 1}");
    FileSource source = source(null, 5L, BadRecords.Policy.FAIL);

    String end0 = source.planBatch(0, null);

    assertThat(rows(source, 0, null, end0)).hasSize(1);
  }

  @Test
  void aBatchReadsTheFilesItsOffsetNamesEvenAfterTheyWereReplanned() throws Exception {
    event("a.json", 1);
    String end0 = source().planBatch(0, null);
    event("b.json", 2);

    FileSource restarted = source(); // offsets/0 is the only record of batch 0's files

    assertThat(rows(restarted, 0, null, end0)).containsExactly(List.of(1L, "DE", 1.0));
  }

  @Test
  void aRestartSkipsTheFilesOfTheRestoredOffsets() throws Exception {
    event("a.json", 1);
    String end0 = source().planBatch(0, null);
    event("b.json", 2);

    FileSource restarted = source();
    restarted.restore(0, end0);
    String end1 = restarted.planBatch(1, end0);

    assertThat(rows(restarted, 1, end0, end1)).containsExactly(List.of(2L, "DE", 1.0));
    assertThat(dir.resolve("checkpoint/sources/0")).doesNotExist(); // no write per batch
  }

  @Test
  void seenFilesAreCompactedToTheSourceLogBeforeTheirOffsetsCanBePurged() throws Exception {
    FileSource source = source(1, null, BadRecords.Policy.FAIL, 2);
    for (int i = 0; i < 4; i++) {
      event("f" + i + ".json", i + 1);
    }
    String end0 = source.planBatch(0, null);
    String end1 = source.planBatch(1, end0);
    assertThat(dir.resolve("checkpoint/sources/0")).doesNotExist();
    String end2 = source.planBatch(2, end1); // batch 0 is two batches old: 0 and 1 compacted

    assertThat(Files.readString(dir.resolve("checkpoint/sources/0/1")))
        .contains("f0.json")
        .contains("f1.json")
        .doesNotContain("f2.json");
    // offsets/0 and /1 purged (retain 2): the log and offsets/2 are all a restart has
    FileSource restarted = source(1, null, BadRecords.Policy.FAIL, 2);
    restarted.restore(2, end2);
    String end3 = restarted.planBatch(3, end2);
    assertThat(end3).contains("f3.json");
    assertThat(restarted.planBatch(4, end3)).isEqualTo(end3);
  }

  @Test
  void aLineLongerThanARecordMayBeIsABadRecordUnderThePolicy() throws Exception {
    String huge = "{\"ts\": 2, \"country\": \"" + "x".repeat(100_000) + "\", \"amount\": 2}";
    file(
        "a.json",
        1,
        "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}",
        huge,
        "{\"ts\": 3, \"country\": \"FR\", \"amount\": 3}");
    FileSource source = source(null, null, BadRecords.Policy.DEAD_LETTER);
    String end = source.planBatch(0, null);

    assertThat(rows(source, 0, null, end)).extracting(r -> r.get(1)).containsExactly("DE", "FR");
    assertThat(source.metrics()).containsEntry("numBadRecords", "1");
    String dead = Files.readString(dir.resolve("dead/orders-0.jsonl"));
    assertThat(dead)
        .contains("a.json line 2")
        .contains("the line has " + huge.length() + " bytes, more than a record may have (200")
        .hasSizeLessThan(4_000);
  }

  @Test
  void aLineLongerThanARecordMayBeFailsTheBatchUnderFail() throws Exception {
    file("a.json", 1, "x".repeat(1_000));
    FileSource source = source(null, null, BadRecords.Policy.FAIL);
    String end = source.planBatch(0, null);

    assertThatThrownBy(() -> rows(source, 0, null, end))
        .hasMessageContaining(in().resolve("a.json") + " line 1")
        .hasMessageContaining("the line has 1000 bytes");
  }

  @Test
  void aLinkIsReadOnlyWhenItStaysInTheVolume() throws Exception {
    file("a.json", 10, "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}");
    Path inside = Files.createDirectories(dir.resolve("elsewhere")).resolve("b.json");
    Files.writeString(inside, "{\"ts\": 2, \"country\": \"FR\", \"amount\": 2}\n");
    Files.createSymbolicLink(in().resolve("b.json"), inside);
    Path outside = Files.createTempFile("not-in-the-volume", ".json");
    try {
      Files.writeString(outside, "{\"ts\": 3, \"country\": \"SECRET\", \"amount\": 3}\n");
      Files.createSymbolicLink(in().resolve("c.json"), outside);
      Files.createSymbolicLink(in().resolve("loop.json"), in().resolve("loop.json"));
      FileSource source = source();

      String end = source.planBatch(0, null);

      assertThat(end).contains("b.json").doesNotContain("c.json").doesNotContain("loop.json");
      assertThat(rows(source, 0, null, end))
          .extracting(r -> r.get(1))
          .containsExactlyInAnyOrder("DE", "FR");
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void aLinkTurnedOutOfTheVolumeAfterTheListingFailsTheBatch() throws Exception {
    Path inside = Files.createDirectories(dir.resolve("elsewhere")).resolve("b.json");
    Files.writeString(inside, "{\"ts\": 2, \"country\": \"FR\", \"amount\": 2}\n");
    Path link = Files.createSymbolicLink(in().resolve("b.json"), inside);
    FileSource source = source();
    String end = source.planBatch(0, null);
    Path outside = Files.createTempFile("not-in-the-volume", ".json");
    try {
      Files.writeString(outside, "{\"ts\": 3, \"country\": \"XX\", \"amount\": 3}\n");
      Files.delete(link);
      Files.createSymbolicLink(link, outside);

      assertThatThrownBy(() -> rows(source, 0, null, end))
          .hasMessageContaining(link + ": it is a symbolic link that leads out of the volume");
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void aSourceLogThatLostEntriesIsRefusedInsteadOfReadingTheirFilesAgain() throws Exception {
    FileSource source = source(1, null, BadRecords.Policy.FAIL, 2);
    for (int i = 0; i < 4; i++) {
      event("f" + i + ".json", i + 1);
    }
    String end0 = source.planBatch(0, null);
    String end1 = source.planBatch(1, end0);
    String end2 = source.planBatch(2, end1);
    Files.delete(dir.resolve("checkpoint/sources/0/1")); // probe F-11

    FileSource restarted = source(1, null, BadRecords.Policy.FAIL, 2);
    restarted.restore(2, end2);

    assertThatThrownBy(() -> restarted.planBatch(3, end2))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("the checkpoint keeps offsets only from batch 2")
        .hasMessageContaining("their files would be read again");
  }

  @Test
  void anOffsetWithoutItsFilesIsRefusedWithAdvice() throws Exception {
    assertThatThrownBy(() -> source().restore(0, "{\"logOffset\":0}"))
        .hasMessageContaining("logOffset and files expected")
        .hasMessageContaining("spec.checkpoint.resetNonce");
  }

  @Test
  void aMalformedLineUnderFailNamesTheFileAndLine() throws Exception {
    file("a.json", 1, "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}", "{\"ts\": oops");
    FileSource source = source(null, null, BadRecords.Policy.FAIL);
    String end = source.planBatch(0, null);

    assertThatThrownBy(() -> rows(source, 0, null, end))
        .isInstanceOf(BadRecords.BadRecordException.class)
        .hasMessageContaining(in().resolve("a.json") + " line 2")
        .hasMessageContaining("malformed JSON")
        .hasMessageContaining("spec.badRecords.policy is Fail");
  }

  @Test
  void aMalformedLineUnderDropIsCounted() throws Exception {
    file(
        "a.json",
        1,
        "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}",
        "not json",
        "{\"amount\": \"x\"}");
    FileSource source = source(null, null, BadRecords.Policy.DROP);
    String end = source.planBatch(0, null);

    assertThat(rows(source, 0, null, end)).hasSize(1);
    assertThat(source.metrics()).containsEntry("numBadRecords", "2");
  }

  @Test
  void aMalformedLineUnderDeadLetterIsWrittenWithItsReason() throws Exception {
    file("a.json", 1, "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}", "{\"amount\": \"lots\"}");
    FileSource source = source(null, null, BadRecords.Policy.DEAD_LETTER);
    String end = source.planBatch(0, null);

    assertThat(rows(source, 0, null, end)).hasSize(1);
    rows(source, 0, null, end); // a re-run replaces the batch's dead letters, never duplicates

    List<String> dead = Files.readAllLines(dir.resolve("dead/orders-0.jsonl"));
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0))
        .contains("\"position\":\"" + in().resolve("a.json") + " line 2\"")
        .contains("field \\\"amount\\\": a text of 4 characters is not a valid double")
        .contains("\"record\":\"{\\\"amount\\\": \\\"lots\\\"}\"");
  }

  @Test
  void csvWithHeaderAndIsoTimestamps() throws Exception {
    file(
        "a.csv",
        1,
        "ts,country,amount",
        "2023-11-14T22:13:20.123Z,DE,4.5",
        "1700000000000,\"F,R\",1");
    FileSource source =
        new FileSource(
            new FileSource.Settings(
                "orders",
                COLUMNS,
                in() + "/*.csv",
                dir.toString(),
                null,
                null,
                false,
                true,
                MAX_RECORD_BYTES,
                Share.ALL),
            new CsvRecordParser(COLUMNS, ','),
            new BadRecords(BadRecords.Policy.FAIL, null, "orders"),
            new MetadataLog(dir.resolve("checkpoint/sources/0")),
            FileSource.DEFAULT_COMPACT_INTERVAL);

    String end = source.planBatch(0, null);

    assertThat(rows(source, 0, null, end))
        .containsExactly(
            List.of(1_700_000_000_123L, "DE", 4.5), List.of(1_700_000_000_000L, "F,R", 1.0));
  }
}
