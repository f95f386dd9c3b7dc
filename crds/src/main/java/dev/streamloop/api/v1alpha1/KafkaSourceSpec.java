package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Read Kafka topics. Offsets live in the checkpoint, never in consumer-group commits.
 *
 * @param bootstrapServers Comma-separated host:port pairs of the brokers.
 * @param topics The topics to read; set this or topicPattern.
 * @param topicPattern A Java regular expression; every matching topic is read, new ones too. Set
 *     this or topics.
 * @param startingOffsets Where a brand-new query starts: latest (the default, as in Spark),
 *     earliest, or per-partition JSON such as {"clicks":{"0":23,"1":-2}} (-2 earliest, -1 latest).
 *     A query with a checkpoint resumes from it; partitions that appear later start at earliest.
 * @param maxOffsetsPerTrigger The most records one batch reads, split across partitions in
 *     proportion to their backlog. Unset: everything available.
 * @param minOffsetsPerTrigger The fewest new records that start a batch, unless maxTriggerDelay has
 *     passed since the last batch.
 * @param maxTriggerDelay How long a batch may wait for minOffsetsPerTrigger records (default 15m).
 * @param failOnDataLoss Fail the query when offsets it needs were deleted (retention) or moved;
 *     false logs a warning and skips them.
 * @param security How to connect: TLS and SASL, with credentials from Secrets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.topics) != has(self.topicPattern)",
    message = "set exactly one of topics or topicPattern",
    reason = "FieldValueInvalid")
@ValidationRule(
    value =
        "!has(self.minOffsetsPerTrigger) || !has(self.maxOffsetsPerTrigger) ||"
            + " self.minOffsetsPerTrigger <= self.maxOffsetsPerTrigger",
    message = "minOffsetsPerTrigger must not exceed maxOffsetsPerTrigger; lower or remove it",
    fieldPath = ".minOffsetsPerTrigger",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.maxTriggerDelay) || has(self.minOffsetsPerTrigger)",
    message = "maxTriggerDelay applies only with minOffsetsPerTrigger: set it or remove the delay",
    fieldPath = ".maxTriggerDelay",
    reason = "FieldValueForbidden")
public record KafkaSourceSpec(
    @Required @Size(min = 1, max = 4096) String bootstrapServers,
    @Size(min = 1, max = 64) List<@Size(min = 1, max = 249) String> topics,
    @Size(min = 1, max = 1024) String topicPattern,
    @Default("latest") @Pattern("^(earliest|latest|\\{.*\\})$") @Size(max = 65536)
        String startingOffsets,
    @Min(1) Long maxOffsetsPerTrigger,
    @Min(1) Long minOffsetsPerTrigger,
    @ValidationRule(
            value = Formats.DURATION_AT_MOST_A_YEAR,
            message = Formats.DURATION_AT_MOST_A_YEAR_MESSAGE,
            reason = "FieldValueInvalid")
        @Pattern(Formats.DURATION)
        String maxTriggerDelay,
    @Default("true") Boolean failOnDataLoss,
    KafkaSecurity security) {}
