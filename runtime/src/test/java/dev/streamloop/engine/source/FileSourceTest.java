package dev.streamloop.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.checkpoint.MetadataLog;
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
    return new FileSource(
        new FileSource.Settings(
            "orders", COLUMNS, in().toString(), maxFiles, maxBytes, false, false),
        new JsonRecordParser(COLUMNS),
        new BadRecords(policy, dir.resolve("dead"), "orders"),
        new MetadataLog(dir.resolve("checkpoint/sources/0")));
  }

  private static List<List<Object>> rows(FileSource source, long batch, String start, String end) {
    List<List<Object>> rows = new ArrayList<>();
    source.read(batch, start, end).forEachRemaining(r -> rows.add(List.of(r)));
    return rows;
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

    assertThat(end0).isEqualTo("{\"logOffset\":0}");
    assertThat(rows(source, 0, null, end0))
        .containsExactly(List.of(1L, "DE", 1.0), List.of(2L, "FR", 2.5));
    assertThat(rows(source, 1, end0, end1)).containsExactly(List.of(3L, "US", 3.0));
    assertThat(source.planBatch(2, end1)).isEqualTo(end1);
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
  void theFilesOfABatchAreInTheCheckpointAndAReplanReadsTheSame() throws Exception {
    file("a.json", 1, "{\"ts\": 1, \"country\": \"DE\", \"amount\": 1}");
    source(null, null, BadRecords.Policy.FAIL).planBatch(0, null);
    file("b.json", 2, "{\"ts\": 2, \"country\": \"FR\", \"amount\": 1}");

    FileSource restarted = source(null, null, BadRecords.Policy.FAIL);
    String end0 = restarted.planBatch(0, null);

    assertThat(Files.readString(dir.resolve("checkpoint/sources/0/0"))).contains("a.json");
    assertThat(rows(restarted, 0, null, end0)).containsExactly(List.of(1L, "DE", 1.0));
    assertThat(rows(restarted, 1, end0, restarted.planBatch(1, end0)))
        .containsExactly(List.of(2L, "FR", 1.0));
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
        .contains("field \\\"amount\\\": \\\"lots\\\" is not a valid double")
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
            new FileSource.Settings("orders", COLUMNS, in() + "/*.csv", null, null, false, true),
            new CsvRecordParser(COLUMNS, ','),
            new BadRecords(BadRecords.Policy.FAIL, null, "orders"),
            new MetadataLog(dir.resolve("checkpoint/sources/0")));

    String end = source.planBatch(0, null);

    assertThat(rows(source, 0, null, end))
        .containsExactly(
            List.of(1_700_000_000_123L, "DE", 4.5), List.of(1_700_000_000_000L, "F,R", 1.0));
  }
}
