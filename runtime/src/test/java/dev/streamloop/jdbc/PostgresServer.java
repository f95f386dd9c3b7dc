package dev.streamloop.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server for tests (zonky's embedded binaries from Maven Central), on a fixed
 * loopback port and data directory so that it can be stopped and started again like a restarted
 * database.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "postgres";

  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres postgres;

  private PostgresServer(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  public static PostgresServer start(Path dataDir) throws IOException {
    PostgresServer server = new PostgresServer(dataDir, freePort());
    server.postgres = server.builder().start();
    return server;
  }

  private EmbeddedPostgres.Builder builder() {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false) // kept across a restart; the test's temporary directory goes
        .setPort(port)
        .setServerConfig("fsync", "on")
        .setServerConfig("max_connections", "20");
  }

  /** Stops the server (fast shutdown: clients are disconnected) and keeps its data. */
  public void stop() throws IOException {
    postgres.close();
    postgres = null;
  }

  /** Starts it again on the same port and data. */
  public void restart() throws IOException {
    postgres = builder().start();
  }

  /**
   * Writes this server's credentials as the runner reads a Secret named {@code db}: the files
   * {@code db/username} and {@code db/password} under the returned directory (its --secrets-dir).
   */
  public static Path writeSecret(Path dir) throws IOException {
    Path secret = java.nio.file.Files.createDirectories(dir.resolve("secrets/db"));
    java.nio.file.Files.writeString(secret.resolve("username"), USER + "\n"); // as echo writes
    java.nio.file.Files.writeString(secret.resolve("password"), "");
    return secret.getParent();
  }

  public String url() {
    return "jdbc:postgresql://localhost:" + port + "/postgres";
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), USER, "");
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) {
      stop();
    }
  }
}
