package dev.streamloop.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.ManualClock;
import dev.streamloop.engine.Share;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A static table read from files: whole, once, and again when its refresh interval passed. */
class FileSnapshotTest {
  private static final List<Column> COLUMNS =
      List.of(new Column("id", ColumnKind.LONG), new Column("segment", ColumnKind.STRING));

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(1_000_000);

  private FileSnapshot snapshot(BadRecords.Policy policy, long refreshMs) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    return new FileSnapshot(
        new FileSource.Settings(
            "customers",
            COLUMNS,
            in.toString(),
            dir.toString(),
            null,
            null,
            false,
            false,
            1 << 20,
            Share.ALL),
        new JsonRecordParser(COLUMNS),
        new BadRecords(policy, dir.resolve("dead"), "customers"),
        refreshMs,
        clock);
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(Files.createDirectories(dir.resolve("in")).resolve(name), text);
  }

  private static List<List<Object>> rows(FileSnapshot table) {
    List<List<Object>> rows = new ArrayList<>();
    table.rows().forEach(r -> rows.add(Arrays.asList(r)));
    return rows;
  }

  @Test
  void everyFileIsReadWholeAndReadAgainOnlyOnceTheRefreshIntervalPassed() throws Exception {
    FileSnapshot table = snapshot(BadRecords.Policy.FAIL, 60_000);
    write("a.json", "{\"id\":1,\"segment\":\"gold\"}\n{\"id\":2,\"segment\":\"silver\"}\n");
    write("b.json", "{\"id\":3,\"segment\":\"bronze\"}\n");
    assertThat(rows(table))
        .containsExactlyInAnyOrder(
            List.of(1L, "gold"), List.of(2L, "silver"), List.of(3L, "bronze"));

    write("c.json", "{\"id\":4,\"segment\":\"new\"}\n");
    Files.delete(dir.resolve("in/a.json"));
    clock.advance(59_999);
    assertThat(rows(table)).hasSize(3).contains(List.of(1L, "gold"));

    clock.advance(1);
    assertThat(rows(table)).containsExactlyInAnyOrder(List.of(3L, "bronze"), List.of(4L, "new"));
  }

  @Test
  void withoutARefreshIntervalTheFirstSnapshotStays() throws Exception {
    FileSnapshot table = snapshot(BadRecords.Policy.FAIL, 0);
    write("a.json", "{\"id\":1,\"segment\":\"gold\"}\n");
    assertThat(rows(table)).hasSize(1);
    write("b.json", "{\"id\":2,\"segment\":\"silver\"}\n");
    clock.advance(365L * 24 * 3600 * 1000);
    assertThat(rows(table)).hasSize(1);
  }

  @Test
  void badRecordsFollowThePolicy() throws Exception {
    write("a.json", "{\"id\":1,\"segment\":\"gold\"}\n{\"id\":\"x\"}\n");
    FileSnapshot dropping = snapshot(BadRecords.Policy.DROP, 0);
    assertThat(rows(dropping)).containsExactly(List.of(1L, "gold"));
    FileSnapshot failing = snapshot(BadRecords.Policy.FAIL, 0);
    assertThatThrownBy(() -> rows(failing))
        .hasMessageContaining("bad record in source \"customers\"")
        .hasMessageContaining("a.json line 2");
  }
}
