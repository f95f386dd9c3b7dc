package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * What the query reads, computes and writes, and how it runs.
 *
 * @param sources The inputs of the query, one or more. Each source is a table of the SQL query,
 *     named by its name, and is exactly one of kafka, file or rate.
 * @param query One SQL statement over the sources (Apache Calcite's dialect, with Spark's
 *     backquoted names and functions): a SELECT, with WHERE, GROUP BY, event-time windows (Spark's
 *     window(ts, '10 minutes') or the TUMBLE and HOP table functions) and UNION ALL where the
 *     output mode allows them. It is parsed, validated against the sources' schemas and planned
 *     once, then reused for every batch. CURRENT_TIMESTAMP is the batch's logged time, so a re-run
 *     batch gives the same answer.
 * @param sinks Where every batch's result goes, one or more. Each sink is exactly one of kafka,
 *     file, jdbc or console; every sink receives the whole result of each batch.
 * @param outputMode Which result rows each batch writes, as in Spark: append (rows that will never
 *     change again), update (rows that changed in this batch) or complete (the whole result,
 *     aggregations only).
 * @param trigger When batches run. Empty: back-to-back, the next batch as soon as the previous one
 *     has finished and new data is there. Set processingTime for a fixed interval, or availableNow
 *     to process what is there when a run starts and then stop (once, or on a schedule).
 * @param parallelism How many runners share the sources. Each runner takes a disjoint,
 *     deterministic share (Kafka partitions, files) and has its own checkpoint. Stateful queries
 *     (aggregations, windows) need 1.
 * @param checkpoint Where each runner keeps its checkpoint (offsets, commits, state): a
 *     PersistentVolumeClaim per runner, reused across restarts and runs.
 * @param suspend Set true to stop the runners gracefully (after the batch in flight commits) and to
 *     pause schedules; set false again to resume from the checkpoint.
 * @param restartNonce Change this number to restart the runners from their checkpoint (and, for an
 *     available-now query without a schedule, to start another run).
 * @param restartPolicy What the operator does when a runner fails.
 * @param runner Overrides for the runner pods: image, resources, environment, scheduling.
 * @param badRecords What a runner does with an input record that does not parse against its
 *     source's schema.
 * @param evolution What happens to an edit the running checkpoint cannot serve: Reject (default),
 *     AwaitApproval, ResetState or ResetAll.
 * @param rewind Replays into the same sinks from the sources' earliest data, a time or a recorded
 *     batch, once per nonce.
 * @param state Where an aggregation keeps its groups: store heap (default) or rocksdb, and the key
 *     groups of a new checkpoint.
 * @param freshness How fresh the output must be (maxLag): gives the Fresh condition, and bounds
 *     CaughtUp.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.outputMode == 'append' || !self.sinks.exists(s, has(s.file))",
    message =
        "file sinks support only outputMode append (as in Spark): use append, or write update and"
            + " complete results to a kafka, jdbc or console sink",
    fieldPath = ".outputMode",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "self.outputMode != 'update' || self.sinks.all(s, !has(s.jdbc) || has(s.jdbc.keyColumns))",
    message =
        "a jdbc sink in outputMode update upserts rows and needs the key: set"
            + " sinks[].jdbc.keyColumns",
    fieldPath = ".sinks",
    reason = "FieldValueRequired")
@ValidationRule(
    value =
        "self.sources.all(s, !has(s.file) || "
            + Formats.ON_DATA_VOLUME
            + "s.file.path == v.mountPath || s.file.path.startsWith(v.mountPath + '/'))))",
    message =
        "a file source must read inside a data volume: add a persistentVolumeClaim, emptyDir or"
            + " nfs volume to spec.runner.volumes whose mountPath holds the path (the runner reads"
            + " no other part of its file system)",
    fieldPath = ".sources",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "self.sinks.all(s, !has(s.file) || "
            + Formats.ON_DATA_VOLUME
            + "s.file.path == v.mountPath || s.file.path.startsWith(v.mountPath + '/'))))",
    message =
        "a file sink must write inside a data volume: add a persistentVolumeClaim, emptyDir or"
            + " nfs volume to spec.runner.volumes whose mountPath holds the path",
    fieldPath = ".sinks",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "!has(self.badRecords) || !has(self.badRecords.deadLetterPath) || "
            + Formats.ON_DATA_VOLUME
            + "self.badRecords.deadLetterPath == v.mountPath ||"
            + " self.badRecords.deadLetterPath.startsWith(v.mountPath + '/')))",
    message =
        "deadLetterPath must be inside a data volume: add a persistentVolumeClaim, emptyDir or"
            + " nfs volume to spec.runner.volumes whose mountPath holds the path",
    fieldPath = ".badRecords.deadLetterPath",
    reason = "FieldValueForbidden")
@ValidationRule(
    value =
        "self.sinks.all(k, !has(k.file) || self.sources.all(s, !has(s.file) || !(k.file.path =="
            + " s.file.path || k.file.path.startsWith(s.file.path + '/') ||"
            + " s.file.path.startsWith(k.file.path + '/'))))",
    message =
        "a file sink must not write where a file source of the same query reads (it would read"
            + " its own output, again and again): give the sink a directory beside the sources',"
            + " such as /data/out next to /data/in",
    fieldPath = ".sinks",
    reason = "FieldValueForbidden")
public record StreamingQuerySpec(
    @Required
        @Size(min = 1, max = 16)
        // uniqueness rules say FieldValueInvalid: with FieldValueDuplicate a real API server
        // replaces the rule's message with a bare "Duplicate value"
        @ValidationRule(
            value = "self.all(s, self.exists_one(t, t.name == s.name))",
            message =
                "source names must be unique: each name is a table of the SQL query; rename one"
                    + " of the duplicates",
            reason = "FieldValueInvalid")
        @ValidationRule(
            value = "self.exists(s, !has(s.static))",
            message =
                "a query needs a stream: at least one source that is not static (Spark: queries"
                    + " without streaming sources cannot be executed with writeStream.start())",
            reason = "FieldValueInvalid")
        List<SourceSpec> sources,
    @Required @Size(min = 1, max = 65536) String query,
    @Required
        @Size(min = 1, max = 16)
        @ValidationRule(
            value = "self.all(s, self.exists_one(t, t.name == s.name))",
            message = "sink names must be unique; rename one of the duplicates",
            reason = "FieldValueInvalid")
        List<SinkSpec> sinks,
    @Default("append") OutputMode outputMode,
    TriggerSpec trigger,
    @Default("1") @Min(1) @Max(64) Integer parallelism,
    @Default("{}") CheckpointSpec checkpoint,
    @Default("false") Boolean suspend,
    @Default("0") @Min(0) Long restartNonce,
    @Default(
            "{\"type\":\"OnFailure\",\"maxRetries\":10,\"initialBackoff\":\"10s\",\"maxBackoff\":\"5m\"}")
        RestartPolicySpec restartPolicy,
    RunnerSpec runner,
    @Default("{\"policy\":\"Fail\"}") BadRecordsSpec badRecords,
    EvolutionSpec evolution,
    RewindSpec rewind,
    StateSpec state,
    FreshnessSpec freshness) {}
