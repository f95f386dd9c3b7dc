package dev.streamloop.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {
  @TempDir Path dir;

  @Test
  void keepsCommittedRowsAcrossARestart() throws Exception {
    try (PostgresServer db = PostgresServer.start(dir.resolve("pg"))) {
      db.execute("CREATE TABLE t (n int)");
      db.execute("INSERT INTO t VALUES (42)");
      db.stop();
      db.restart();
      try (Connection c = db.connect();
          ResultSet rs = c.createStatement().executeQuery("SELECT n FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }
  }
}
