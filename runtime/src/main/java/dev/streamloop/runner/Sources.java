package dev.streamloop.runner;

import dev.streamloop.api.v1alpha1.BadRecordsSpec;
import dev.streamloop.api.v1alpha1.ColumnSpec;
import dev.streamloop.api.v1alpha1.CsvOptions;
import dev.streamloop.api.v1alpha1.DataFormat;
import dev.streamloop.api.v1alpha1.Durations;
import dev.streamloop.api.v1alpha1.FileSourceSpec;
import dev.streamloop.api.v1alpha1.KafkaSourceSpec;
import dev.streamloop.api.v1alpha1.SourceSpec;
import dev.streamloop.engine.Clock;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.Share;
import dev.streamloop.engine.Source;
import dev.streamloop.engine.StaticTable;
import dev.streamloop.engine.checkpoint.Checkpoint;
import dev.streamloop.engine.source.BadRecords;
import dev.streamloop.engine.source.CsvRecordParser;
import dev.streamloop.engine.source.FileSnapshot;
import dev.streamloop.engine.source.FileSource;
import dev.streamloop.engine.source.JsonRecordParser;
import dev.streamloop.engine.source.RateSource;
import dev.streamloop.engine.source.RecordParser;
import dev.streamloop.engine.source.kafka.KafkaSource;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/** Builds the engine's sources (rate, file, Kafka) from a StreamingQuery's source specs. */
final class Sources {
  /** Spark's default maxTriggerDelay. */
  private static final long DEFAULT_MAX_TRIGGER_DELAY_MS = 15 * 60 * 1000;

  private Sources() {}

  /** The columns a source gives the SQL query. */
  static List<Column> columns(SourceSpec source) {
    if (source.rate() != null) {
      return List.of(
          new Column("timestamp", ColumnKind.TIMESTAMP), new Column("value", ColumnKind.LONG));
    }
    if (source.kafka() != null && source.format() == DataFormat.RAW) {
      return KafkaSource.RAW_COLUMNS;
    }
    List<Column> columns = new ArrayList<>();
    for (ColumnSpec column : source.schema()) {
      columns.add(new Column(column.name(), ColumnKind.valueOf(column.type().name())));
    }
    return columns;
  }

  /** A file source's longest record in bytes: maxRecordSize, or its default. */
  static long maxRecordBytes(FileSourceSpec file) {
    return file.maxRecordSize() == null
        ? FileSourceSpec.DEFAULT_MAX_RECORD_BYTES
        : file.maxRecordSize().getNumericalAmount().longValue();
  }

  /**
   * Why source {@code index} cannot run, seen without its files (a glob that is not one, a record
   * size out of bounds), or null.
   */
  static String problem(SourceSpec source, int index) {
    if (source.file() == null) {
      return null;
    }
    long maxRecord = maxRecordBytes(source.file());
    if (maxRecord < 1024 || maxRecord > FileSourceSpec.MAX_RECORD_BYTES) {
      return "spec.sources["
          + index
          + "].file.maxRecordSize: "
          + source.file().maxRecordSize()
          + " is out of bounds: give 1Ki to 1Gi, such as 8Mi";
    }
    if (!FileSource.isGlob(source.file().path())) {
      return null;
    }
    try {
      FileSystems.getDefault().getPathMatcher("glob:" + source.file().path());
      return null;
    } catch (PatternSyntaxException e) {
      return "spec.sources["
          + index
          + "].file.path: "
          + source.file().path()
          + " is not a valid glob ("
          + e.getDescription()
          + " at index "
          + e.getIndex()
          + "): use * and ? for names, [abc] for one of a set, {a,b} for alternatives";
    }
  }

  /**
   * Source {@code index} of the spec (which messages name), with its log at position {@code slot}
   * of {@code checkpoint}.
   */
  static Source build(
      SourceSpec spec,
      BadRecordsSpec badRecordsSpec,
      Checkpoint checkpoint,
      int index,
      int slot,
      Clock clock,
      int retainBatches,
      Share share,
      SecretFiles secrets,
      DataVolumes volumes)
      throws SecretFiles.MissingSecretException, InvalidQueryException {
    if (spec.rate() != null) {
      return spec.rate().rowsPerBatch() != null
          ? RateSource.perBatch(
              spec.name(), spec.rate().rowsPerBatch(), clock, checkpoint.sourceLog(slot), share)
          : RateSource.perSecond(
              spec.name(),
              spec.rate().rowsPerSecond(),
              spec.rate().rampUpTime() == null
                  ? 0
                  : Durations.toMillis(spec.rate().rampUpTime()) / 1000,
              clock,
              checkpoint.sourceLog(slot),
              share);
    }
    List<Column> columns = columns(spec);
    RecordParser parser = parser(spec, columns);
    BadRecords badRecords = badRecords(spec, badRecordsSpec, share, volumes);
    if (spec.kafka() != null) {
      KafkaSourceSpec kafka = spec.kafka();
      return new KafkaSource(
          new KafkaSource.Settings(
              spec.name(),
              columns,
              kafka.bootstrapServers(),
              kafka.topics(),
              kafka.topicPattern(),
              kafka.startingOffsets(),
              kafka.maxOffsetsPerTrigger(),
              kafka.minOffsetsPerTrigger(),
              kafka.maxTriggerDelay() == null
                  ? DEFAULT_MAX_TRIGGER_DELAY_MS
                  : Durations.toMillis(kafka.maxTriggerDelay()),
              !Boolean.FALSE.equals(kafka.failOnDataLoss()),
              parser,
              KafkaClientProperties.of(
                  kafka.security(), "spec.sources[" + index + "].kafka.security", secrets),
              share),
          badRecords,
          checkpoint.sourceLog(slot),
          clock);
    }
    return new FileSource(
        fileSettings(spec, index, columns, share, volumes),
        parser,
        badRecords,
        checkpoint.sourceLog(slot),
        // compact before retention purges the offsets entries that hold the files
        Math.min(FileSource.DEFAULT_COMPACT_INTERVAL, retainBatches));
  }

  /** A static table (spec.sources[].static): the files of its path, read whole. */
  static StaticTable buildStatic(
      SourceSpec spec, BadRecordsSpec badRecordsSpec, int index, Clock clock, DataVolumes volumes)
      throws InvalidQueryException {
    List<Column> columns = columns(spec);
    // every runner of the query joins with the whole table
    return new FileSnapshot(
        fileSettings(spec, index, columns, Share.ALL, volumes),
        parser(spec, columns),
        badRecords(spec, badRecordsSpec, Share.ALL, volumes),
        spec.staticTable().refreshInterval() == null
            ? 0
            : Durations.toMillis(spec.staticTable().refreshInterval()),
        clock);
  }

  private static RecordParser parser(SourceSpec spec, List<Column> columns) {
    if (spec.format() == DataFormat.RAW) {
      return null;
    }
    if (spec.format() == DataFormat.CSV) {
      CsvOptions csv = spec.csv() != null ? spec.csv() : new CsvOptions(false, ",");
      return new CsvRecordParser(columns, csv.delimiter().charAt(0));
    }
    return new JsonRecordParser(columns);
  }

  private static BadRecords badRecords(
      SourceSpec spec, BadRecordsSpec badRecordsSpec, Share share, DataVolumes volumes)
      throws InvalidQueryException {
    return new BadRecords(
        BadRecords.Policy.valueOf(
            switch (badRecordsSpec.policy()) {
              case Fail -> "FAIL";
              case Drop -> "DROP";
              case DeadLetter -> "DEAD_LETTER";
            }),
        badRecordsSpec.deadLetterPath() == null
            ? null
            : QueryAssembler.ownDirectory(
                volumes
                    .locate("spec.badRecords.deadLetterPath", badRecordsSpec.deadLetterPath())
                    .path(),
                share),
        spec.name(),
        Boolean.TRUE.equals(badRecordsSpec.includeEvaluationErrors()));
  }

  private static FileSource.Settings fileSettings(
      SourceSpec spec, int index, List<Column> columns, Share share, DataVolumes volumes)
      throws InvalidQueryException {
    DataVolumes.Located located =
        volumes.locate("spec.sources[" + index + "].file.path", spec.file().path());
    String path = located.path().toString();
    requireDirectory(spec, index, path);
    boolean csvHeader =
        spec.format() == DataFormat.CSV
            && spec.csv() != null
            && Boolean.TRUE.equals(spec.csv().header());
    return new FileSource.Settings(
        spec.name(),
        columns,
        path,
        located.volume().toString(),
        spec.file().maxFilesPerTrigger(),
        spec.file().maxBytesPerTrigger() == null
            ? null
            : spec.file().maxBytesPerTrigger().getNumericalAmount().longValue(),
        Boolean.TRUE.equals(spec.file().latestFirst()),
        csvHeader,
        (int) maxRecordBytes(spec.file()),
        share);
  }

  /**
   * A file source's path must be a directory that exists, unless it is a glob, which may match
   * nothing yet (as in Spark, which fails a query on a missing path but waits on an empty glob).
   */
  private static void requireDirectory(SourceSpec spec, int index, String path) {
    String given = spec.file().path();
    if (FileSource.isGlob(given) || Files.isDirectory(Path.of(path))) {
      return;
    }
    String field = "spec.sources[" + index + "].file.path";
    if (Files.exists(Path.of(path))) {
      throw new SourcePathNotFoundException(
          field
              + ": "
              + given
              + " is a file, not a directory (file source \""
              + spec.name()
              + "\"): give the directory that holds the files");
    }
    throw new SourcePathNotFoundException(
        field
            + ": Path does not exist: "
            + given
            + (given.equals(path) ? "" : " (" + path + " on this machine)")
            + " (file source \""
            + spec.name()
            + "\"): create the directory, mount the volume that holds it (spec.runner.volumes;"
            + " running the runner alone, --mount MOUNTPATH=DIR), or give a glob such as "
            + (given.endsWith("/") ? given : given + "/")
            + "* to start before it exists");
  }
}
