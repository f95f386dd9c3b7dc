package dev.streamloop.engine.sink.jdbc;

import dev.streamloop.engine.Column;
import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.SinkTargetException;
import dev.streamloop.engine.UnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch to a PostgreSQL table in one transaction, exactly once: the transaction also
 * records the batch id in {@code streamloop_sink_batches}, under a row lock, so a re-run batch
 * (after a crash, or by a second runner) finds its id there and writes nothing. Append inserts,
 * update upserts on the key columns, complete replaces the table's contents.
 */
public final class JdbcSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcSink.class);
  private static final int ROWS_PER_STATEMENT_BATCH = 1_000;

  /**
   * @param field The spec field, for errors (spec.sinks[0].jdbc).
   * @param sinkId Unique to the query, the sink and the runner: its row in the progress table.
   * @param connection User, password, TLS and other driver properties (never logged).
   */
  public record Settings(
      String field,
      String url,
      String table,
      List<String> keyColumns,
      OutputMode mode,
      String sinkId,
      Properties connection) {}

  private final Settings settings;
  private final List<Column> columns;
  private Connection connection;
  private TableLayout layout;
  private RowBinder binder;

  /**
   * @param columns The query's result columns, which the table must have.
   */
  public JdbcSink(Settings settings, List<Column> columns) {
    this.settings = settings;
    this.columns = columns;
  }

  @Override
  public String description() {
    return "JdbcSink[" + settings.table() + "]";
  }

  @Override
  public void open() {
    if (connection != null) {
      return;
    }
    try {
      connection = DriverManager.getConnection(settings.url(), settings.connection());
      layout =
          TableCheck.check(
              connection,
              settings.field(),
              settings.table(),
              columns,
              settings.mode() == OutputMode.UPDATE ? settings.keyColumns() : null);
      binder = new RowBinder(columns, layout);
      try (var statement = connection.createStatement()) {
        statement.execute(JdbcStatements.createProgressTable(layout));
      }
      connection.setAutoCommit(false);
    } catch (SQLException e) {
      throw failure("cannot open", e);
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  @Override
  public long addBatch(long batchId, List<Column> columns, Iterable<Object[]> rows) {
    open();
    try {
      long last = lockProgress();
      if (last > batchId) {
        connection.rollback();
        throw new SinkTargetException(
            settings.field()
                + ": table "
                + settings.table()
                + " holds batches up to "
                + last
                + " of this query (sink id "
                + settings.sinkId()
                + "), but its checkpoint runs batch "
                + batchId
                + " next: the checkpoint lost its offsets and commits, and those batches would be"
                + " skipped as written. Restore them, or start from an empty checkpoint"
                + " (spec.checkpoint.resetNonce), which also gives the sink a new id");
      }
      if (last == batchId) {
        connection.rollback();
        LOG.info("skipping batch {}: table {} already has it", batchId, settings.table());
        return 0;
      }
      if (settings.mode() == OutputMode.COMPLETE) {
        try (var statement = connection.createStatement()) {
          statement.executeUpdate(JdbcStatements.deleteAll(layout));
        }
      }
      long written = write(rows);
      try (PreparedStatement record =
          connection.prepareStatement(JdbcStatements.recordBatch(layout))) {
        record.setLong(1, batchId);
        record.setString(2, settings.sinkId());
        record.executeUpdate();
      }
      connection.commit();
      return written;
    } catch (SQLException e) {
      throw failure("batch " + batchId + " failed and was rolled back", e);
    } catch (RuntimeException e) {
      closeQuietly(); // the transaction is rolled back with the connection
      throw e;
    }
  }

  private long lockProgress() throws SQLException {
    try (PreparedStatement ensure =
        connection.prepareStatement(JdbcStatements.ensureProgressRow(layout))) {
      ensure.setString(1, settings.sinkId());
      ensure.executeUpdate();
    }
    try (PreparedStatement lock =
        connection.prepareStatement(JdbcStatements.lockProgress(layout))) {
      lock.setString(1, settings.sinkId());
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  private long write(Iterable<Object[]> rows) throws SQLException {
    String sql =
        settings.mode() == OutputMode.UPDATE
            ? JdbcStatements.upsert(layout, settings.keyColumns())
            : JdbcStatements.insert(layout);
    long count = 0;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int pending = 0;
      for (Object[] row : rows) {
        binder.bind(statement, row);
        statement.addBatch();
        count++;
        if (++pending == ROWS_PER_STATEMENT_BATCH) {
          statement.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        statement.executeBatch();
      }
    }
    return count;
  }

  /**
   * The exception for {@code e}, the connection dropped: a lost or refused connection (SQLSTATE
   * class 08, a server shutting down, 57P, too many connections) is retried; others fail.
   */
  private RuntimeException failure(String what, SQLException e) {
    closeQuietly();
    String state = rootState(e);
    String message =
        "JDBC sink "
            + settings.table()
            + " at "
            + server()
            + ": "
            + what
            + ": "
            + e.getMessage()
            + (e.getCause() != null && e.getCause() != e ? " (" + e.getCause() + ")" : "")
            + " (SQLSTATE "
            + state
            + ")";
    if (e instanceof SQLTransientException
        || state != null
            && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"))) {
      return new UnavailableException(message, e);
    }
    if (state != null && (state.startsWith("42") || state.startsWith("28"))) {
      // a missing privilege or object, or failed authentication: the setup must change
      return new SinkTargetException(settings.field() + ": " + message);
    }
    return new IllegalStateException(message, e);
  }

  /** The database's URL without its parameters, which may hold credentials. */
  private String server() {
    String url = settings.url();
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static String rootState(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      if (s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken: nothing more to release
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
