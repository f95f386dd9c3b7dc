package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a source had not read when a runner planned its last batch (after that batch's end). Not in
 * Spark's progress. Fields that do not apply to the source are absent.
 *
 * @param recordsBehind Records between the batch's end and the newest offsets (Kafka).
 * @param filesBehind Files found and not yet read (file source).
 * @param bytesBehind The size of those files.
 * @param oldestUnprocessedTime When the oldest input not yet read was written (RFC 3339); absent
 *     when nothing is behind.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceLag(
    Long recordsBehind, Long filesBehind, Long bytesBehind, String oldestUnprocessedTime) {}
