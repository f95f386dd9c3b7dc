package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One output of the query: exactly one of kafka, file, jdbc or console.
 *
 * @param name The sink's name, in progress and logs.
 * @param kafka Write rows as records to a Kafka topic, exactly once (transactions).
 * @param file Write rows as files to a directory, exactly once (a manifest per batch).
 * @param jdbc Write rows to a PostgreSQL table, exactly once (the batch id is recorded in the same
 *     transaction).
 * @param console Print rows to the runner's log, for debugging.
 * @param format How kafka and file sinks encode rows: json (the default) or csv; kafka also takes
 *     raw (the columns key and value as bytes).
 * @param csv CSV settings, only with format csv.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "(has(self.kafka) ? 1 : 0) + (has(self.file) ? 1 : 0) + (has(self.jdbc) ? 1 : 0) +"
            + " (has(self.console) ? 1 : 0) == 1",
    message =
        "a sink is exactly one of kafka, file, jdbc or console: set one of them, and only one",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.format) || has(self.kafka) || has(self.file)",
    message = "format applies only to kafka and file sinks: remove it",
    fieldPath = ".format",
    reason = "FieldValueForbidden")
@ValidationRule(
    value = "!has(self.format) || self.format != 'raw' || has(self.kafka)",
    message = "format raw is for kafka sinks only: use json or csv",
    fieldPath = ".format",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.csv) || (has(self.format) && self.format == 'csv')",
    message = "csv settings need format csv: set format: csv or remove csv",
    fieldPath = ".csv",
    reason = "FieldValueForbidden")
public record SinkSpec(
    @Required @Pattern(Formats.DNS_LABEL) @Size(max = 63) String name,
    KafkaSinkSpec kafka,
    FileSinkSpec file,
    JdbcSinkSpec jdbc,
    ConsoleSinkSpec console,
    DataFormat format,
    CsvOptions csv) {}
