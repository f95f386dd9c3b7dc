package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * One input of the query: exactly one of kafka, file or rate, plus how its records are decoded.
 *
 * @param name The table name the SQL query uses for this source (lower case, digits and
 *     underscores).
 * @param kafka Read the records of Kafka topics.
 * @param file Read new files that appear in a directory.
 * @param rate Generate rows (timestamp, value) for tests and demos.
 * @param format How records are decoded: json (the default) or csv; kafka also takes raw. Rate
 *     sources have a fixed schema and take no format.
 * @param csv CSV settings, only with format csv.
 * @param schema The columns of the records, in order (the order matters for csv). Needed for json
 *     and csv; rate and raw Kafka sources have fixed columns.
 * @param watermark The event-time watermark of this source, for windows and late data.
 * @param staticTable Read this (file) source as a static table, whole, to join the streams with,
 *     instead of as a stream ({@code static: {}}, or with a refreshInterval).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.kafka) ? 1 : 0) + (has(self.file) ? 1 : 0) + (has(self.rate) ? 1 : 0) == 1",
    message = "a source is exactly one of kafka, file or rate: set one of them, and only one",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.rate) || (!has(self.format) && !has(self.schema) && !has(self.csv))",
    message =
        "rate sources have the fixed columns (timestamp, value): remove format, csv and schema",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.format) || self.format != 'raw' || has(self.kafka)",
    message = "format raw is for kafka sources only: use json or csv",
    fieldPath = ".format",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.csv) || (has(self.format) && self.format == 'csv')",
    message = "csv settings need format csv: set format: csv or remove csv",
    fieldPath = ".csv",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "has(self.rate) || (has(self.format) && self.format == 'raw') || has(self.schema)",
    message =
        "json and csv sources need a schema: list the columns under schema (name and type each)",
    reason = "FieldValueRequired")
@ValidationRule(
    value = "!has(self.schema) || !has(self.format) || self.format != 'raw'",
    message =
        "raw kafka sources have the fixed columns (key, value, topic, partition, offset,"
            + " timestamp, headers): remove schema, or use format json or csv",
    fieldPath = ".schema",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.watermark) || (has(self.schema) ? self.schema.exists(c, c.name =="
            + " self.watermark.column && c.type == 'timestamp') : self.watermark.column =="
            + " 'timestamp')",
    messageExpression =
        "'watermark.column \"' + self.watermark.column + '\" is not a timestamp column of source"
            + " \"' + self.name + '\": name a schema column of type timestamp (rate and raw kafka"
            + " sources: timestamp)'",
    fieldPath = ".watermark.column",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.static) || has(self.file)",
    message =
        "a static table is read from files: set file (kafka and rate sources are streams only)",
    fieldPath = ".static",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.static) || !has(self.watermark)",
    message = "a static table has no event time: remove watermark from this source",
    fieldPath = ".watermark",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.static) || !has(self.file) || !(has(self.file.maxFilesPerTrigger) ||"
            + " has(self.file.maxBytesPerTrigger))",
    message =
        "a static table is read whole: remove file.maxFilesPerTrigger and file.maxBytesPerTrigger",
    fieldPath = ".file",
    reason = "FieldValueForbidden")
public record SourceSpec(
    @Required @Pattern("^[a-z_][a-z0-9_]{0,62}$") @Size(max = 63) String name,
    KafkaSourceSpec kafka,
    FileSourceSpec file,
    RateSourceSpec rate,
    DataFormat format,
    CsvOptions csv,
    // a list-map keyed by name (see CrdPostProcessor): the API server rejects a repeated column
    // name itself, at no CEL cost (a uniqueness rule here exceeded the per-rule cost budget)
    @Size(min = 1, max = 256) List<ColumnSpec> schema,
    WatermarkSpec watermark,
    @JsonProperty("static") StaticSpec staticTable) {

  /** A stream (not a static table). */
  public SourceSpec(
      String name,
      KafkaSourceSpec kafka,
      FileSourceSpec file,
      RateSourceSpec rate,
      DataFormat format,
      CsvOptions csv,
      List<ColumnSpec> schema,
      WatermarkSpec watermark) {
    this(name, kafka, file, rate, format, csv, schema, watermark, null);
  }

  /** Whether this source is a static table. */
  @JsonIgnore
  public boolean isStatic() {
    return staticTable != null;
  }
}
