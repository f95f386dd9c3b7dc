package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.CsvOptions;
import dev.streamloop.api.v1alpha1.DataFormat;
import dev.streamloop.api.v1alpha1.JdbcSinkSpec;
import dev.streamloop.api.v1alpha1.KafkaSinkSpec;
import dev.streamloop.api.v1alpha1.SinkSpec;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.OutputMode;
import dev.streamloop.engine.Sink;
import dev.streamloop.engine.sink.ConsoleSink;
import dev.streamloop.engine.sink.FileSink;
import dev.streamloop.engine.sink.RowFormat;
import dev.streamloop.engine.sink.jdbc.JdbcSink;
import dev.streamloop.engine.sink.kafka.KafkaSink;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** Builds the engine's sinks (console, file, Kafka, JDBC) from a StreamingQuery's sink specs. */
final class Sinks {
  private Sinks() {}

  /** Why sink {@code index} cannot take a result with {@code columns}, or null. */
  static String problem(SinkSpec sink, int index, List<Column> columns, OutputMode mode) {
    String field = "spec.sinks[" + index + "]";
    if (sink.kafka() != null) {
      String problem = KafkaSink.problem(columns, sink.kafka().topic(), kafkaFormat(sink));
      return problem == null ? null : field + ".kafka: " + problem;
    }
    if (sink.jdbc() != null && mode == OutputMode.UPDATE) {
      List<String> keys = sink.jdbc().keyColumns();
      if (keys == null || keys.isEmpty()) {
        return field
            + ".jdbc.keyColumns: update mode upserts rows by key: set keyColumns to the result"
            + " columns that identify a row (the query's grouping columns)";
      }
      for (String key : keys) {
        if (columns.stream().noneMatch(c -> c.name().equalsIgnoreCase(key))) {
          return field
              + ".jdbc.keyColumns: "
              + key
              + " is not a column of the result ("
              + String.join(", ", columns.stream().map(Column::name).toList())
              + ")";
        }
      }
    }
    return null;
  }

  static Sink build(
      SinkSpec spec,
      int index,
      List<Column> columns,
      OutputMode mode,
      RunnerContext context,
      DataVolumes volumes)
      throws SecretFiles.MissingSecretException, InvalidQueryException {
    if (spec.console() != null) {
      return new ConsoleSink(
          context.console(), spec.console().numRows(), spec.console().truncate());
    }
    String runnerId =
        "streamloop-" + context.queryId() + "-" + spec.name() + "-" + context.share().index();
    if (spec.kafka() != null) {
      KafkaSinkSpec kafka = spec.kafka();
      return new KafkaSink(
          new KafkaSink.Settings(
              spec.name(),
              kafka.bootstrapServers(),
              kafka.topic(),
              kafkaFormat(spec),
              csvOptions(spec).delimiter().charAt(0),
              runnerId,
              KafkaClientProperties.of(
                  kafka.security(),
                  "spec.sinks[" + index + "].kafka.security",
                  context.secrets())));
    }
    if (spec.jdbc() != null) {
      String field = "spec.sinks[" + index + "].jdbc";
      JdbcSinkSpec jdbc = spec.jdbc();
      return new JdbcSink(
          new JdbcSink.Settings(
              field,
              jdbc.url(),
              jdbc.table(),
              jdbc.keyColumns() == null ? List.of() : jdbc.keyColumns(),
              mode,
              runnerId,
              connectionProperties(jdbc, field, spec.name(), context.secrets())),
          columns);
    }
    boolean csv = spec.format() == DataFormat.CSV;
    CsvOptions csvOptions = csvOptions(spec);
    return new FileSink(
        QueryAssembler.ownDirectory(
            volumes.locate("spec.sinks[" + index + "].file.path", spec.file().path()).path(),
            context.share()),
        new RowFormat(
            csv ? RowFormat.Kind.CSV : RowFormat.Kind.JSON,
            columns,
            Boolean.TRUE.equals(csvOptions.header()),
            csvOptions.delimiter().charAt(0)));
  }

  /** The driver's settings: credentials and TLS from the Secrets, and sane timeouts. */
  static Properties connectionProperties(
      JdbcSinkSpec jdbc, String field, String sinkName, SecretFiles secrets)
      throws SecretFiles.MissingSecretException {
    Properties properties = new Properties();
    String credentials = field + ".credentials";
    String secret = jdbc.credentials().secretName();
    properties.setProperty(
        "user", secrets.read(credentials, secret, jdbc.credentials().usernameKeyOrDefault()));
    properties.setProperty(
        "password", secrets.read(credentials, secret, jdbc.credentials().passwordKeyOrDefault()));
    properties.setProperty(
        "sslmode",
        jdbc.sslMode() == null
            ? "prefer"
            : jdbc.sslMode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    if (jdbc.caCertificate() != null) {
      properties.setProperty(
          "sslrootcert",
          secrets
              .path(
                  field + ".caCertificate", jdbc.caCertificate().name(), jdbc.caCertificate().key())
              .toString());
    }
    properties.setProperty("ApplicationName", "streamloop-" + sinkName);
    properties.setProperty("reWriteBatchedInserts", "true");
    properties.setProperty("connectTimeout", "10");
    // a database that stops answering mid-batch fails the batch (then retried) within 2 minutes
    properties.setProperty("socketTimeout", "120");
    properties.setProperty("tcpKeepAlive", "true");
    return properties;
  }

  private static RowFormat.Kind kafkaFormat(SinkSpec sink) {
    if (sink.format() == DataFormat.RAW) {
      return null;
    }
    return sink.format() == DataFormat.CSV ? RowFormat.Kind.CSV : RowFormat.Kind.JSON;
  }

  private static CsvOptions csvOptions(SinkSpec sink) {
    return sink.csv() != null ? sink.csv() : new CsvOptions(false, ",");
  }
}
