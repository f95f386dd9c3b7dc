package dev.streamloop.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.SinkTargetException;
import dev.streamloop.engine.UnavailableException;
import dev.streamloop.engine.sink.jdbc.JdbcSink;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC sink against a real PostgreSQL: each batch once, in one transaction. */
class JdbcSinkTest {
  private static final List<Column> COUNTS =
      List.of(
          new Column("country", ColumnKind.STRING),
          new Column("views", ColumnKind.LONG),
          new Column("window_end", ColumnKind.TIMESTAMP));

  @TempDir static Path dir;
  private static PostgresServer db;

  @BeforeAll
  static void startDatabase() throws Exception {
    db = PostgresServer.start(dir.resolve("pg"));
  }

  @AfterAll
  static void stopDatabase() throws Exception {
    db.close();
  }

  private static JdbcSink sink(String table, OutputMode mode, String sinkId, List<String> keys) {
    Properties connection = new Properties();
    connection.setProperty("user", PostgresServer.USER);
    return new JdbcSink(
        new JdbcSink.Settings(
            "spec.sinks[0].jdbc", db.url(), table, keys, mode, sinkId, connection),
        COUNTS);
  }

  private static Object[] row(String country, long views) {
    return new Object[] {country, views, 1_700_000_000_000L};
  }

  private static List<String> rows(String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = db.connect();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT country, views, window_end FROM "
                        + table
                        + " ORDER BY country, views")) {
      while (rs.next()) {
        rows.add(rs.getString(1) + "=" + rs.getLong(2) + "@" + rs.getObject(3));
      }
    }
    return rows;
  }

  @Test
  void appendWritesEachBatchOnceEvenWhenANewRunnerReRunsIt() throws Exception {
    db.execute("CREATE TABLE appended (country text, views bigint, window_end timestamp)");
    try (JdbcSink first = sink("appended", OutputMode.APPEND, "q1-out-0", List.of())) {
      first.open();
      assertThat(first.addBatch(0, COUNTS, List.of(row("de", 1), row("fr", 2)))).isEqualTo(2);
      assertThat(first.addBatch(1, COUNTS, List.<Object[]>of(row("it", 3)))).isEqualTo(1);
    }
    try (JdbcSink next = sink("appended", OutputMode.APPEND, "q1-out-0", List.of())) {
      assertThat(next.addBatch(1, COUNTS, List.<Object[]>of(row("it", 3)))).isZero();
      assertThat(next.addBatch(2, COUNTS, List.<Object[]>of(row("nl", 4)))).isEqualTo(1);
    }
    assertThat(rows("appended"))
        .containsExactly(
            "de=1@2023-11-14 22:13:20.0",
            "fr=2@2023-11-14 22:13:20.0",
            "it=3@2023-11-14 22:13:20.0",
            "nl=4@2023-11-14 22:13:20.0");
  }

  @Test
  void aCheckpointThatLostItsBatchesIsRefusedInsteadOfSkippingThem() throws Exception {
    db.execute("CREATE TABLE ahead (country text, views bigint, window_end timestamp)");
    try (JdbcSink first = sink("ahead", OutputMode.APPEND, "q8-out-0", List.of())) {
      for (long batch = 0; batch < 4; batch++) {
        first.addBatch(batch, COUNTS, List.<Object[]>of(row("de", batch)));
      }
    }
    // the same query (same sink id) starting over at batch 0: its offsets and commits were lost
    try (JdbcSink restarted = sink("ahead", OutputMode.APPEND, "q8-out-0", List.of())) {
      assertThatThrownBy(() -> restarted.addBatch(0, COUNTS, List.<Object[]>of(row("fr", 9))))
          .isInstanceOf(SinkTargetException.class)
          .hasMessageContaining("holds batches up to 3 of this query")
          .hasMessageContaining("runs batch 0 next");
    }
    assertThat(rows("ahead")).hasSize(4);
  }

  @Test
  void updateUpsertsOnTheKeyAndCompleteReplacesTheTable() throws Exception {
    db.execute(
        "CREATE TABLE upserted (country text PRIMARY KEY, views bigint, window_end timestamptz)");
    try (JdbcSink sink = sink("upserted", OutputMode.UPDATE, "q2-out-0", List.of("country"))) {
      sink.addBatch(0, COUNTS, List.of(row("de", 1), row("fr", 2)));
      sink.addBatch(1, COUNTS, List.<Object[]>of(row("de", 5)));
    }
    assertThat(rows("upserted")).hasSize(2).first().asString().startsWith("de=5@");

    db.execute("CREATE TABLE replaced (country text, views bigint, window_end timestamptz)");
    try (JdbcSink sink = sink("replaced", OutputMode.COMPLETE, "q3-out-0", List.of())) {
      sink.addBatch(0, COUNTS, List.of(row("de", 1), row("fr", 2)));
      sink.addBatch(1, COUNTS, List.of(row("de", 3), row("fr", 2), row("it", 1)));
    }
    assertThat(rows("replaced"))
        .extracting(r -> r.substring(0, r.indexOf('@')))
        .containsExactly("de=3", "fr=2", "it=1");
  }

  @Test
  void aTableThatDoesNotFitIsRefusedAtStartWithWhatToChange() throws Exception {
    assertThatThrownBy(() -> sink("missing", OutputMode.APPEND, "q4", List.of()).open())
        .isInstanceOf(SinkTargetException.class)
        .hasMessageContaining("spec.sinks[0].jdbc.table: table missing does not exist")
        .hasMessageContaining(
            "CREATE TABLE missing (country text, views bigint, window_end timestamptz)");

    db.execute("CREATE TABLE narrow (country integer, window_end timestamp)");
    assertThatThrownBy(() -> sink("narrow", OutputMode.APPEND, "q5", List.of()).open())
        .isInstanceOf(SinkTargetException.class)
        .hasMessageContaining("column country is integer, which cannot hold the result's STRING")
        .hasMessageContaining(
            "it has no column views (add it: ALTER TABLE narrow ADD COLUMN views bigint)");

    db.execute("CREATE TABLE nokey (country text, views bigint, window_end timestamp)");
    assertThatThrownBy(() -> sink("nokey", OutputMode.UPDATE, "q6", List.of("country")).open())
        .isInstanceOf(SinkTargetException.class)
        .hasMessageContaining("spec.sinks[0].jdbc.keyColumns: table nokey has no primary key")
        .hasMessageContaining("ALTER TABLE nokey ADD PRIMARY KEY (country)");
  }

  @Test
  void aBatchWhileTheDatabaseIsDownIsRetriableAndLandsOnceAfterItsRestart() throws Exception {
    db.execute("CREATE TABLE survived (country text, views bigint, window_end timestamp)");
    try (JdbcSink sink = sink("survived", OutputMode.APPEND, "q7-out-0", List.of())) {
      sink.addBatch(0, COUNTS, List.<Object[]>of(row("de", 1)));
      db.stop();
      try {
        assertThatThrownBy(() -> sink.addBatch(1, COUNTS, List.<Object[]>of(row("fr", 2))))
            .isInstanceOf(UnavailableException.class)
            .hasMessageContaining("JDBC sink survived");
      } finally {
        db.restart();
      }
      assertThat(sink.addBatch(1, COUNTS, List.<Object[]>of(row("fr", 2)))).isEqualTo(1);
      assertThat(sink.addBatch(1, COUNTS, List.<Object[]>of(row("fr", 2)))).isZero();
    }
    assertThat(rows("survived")).hasSize(2);
  }
}
