package dev.streamloop.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Write rows as Kafka records with a transactional producer: each batch is one transaction, so a
 * read_committed consumer sees every row exactly once, across crashes and restarts. The record key,
 * headers and topic come from the result columns key, headers and topic when present; the value is
 * the encoded row (or the value column, with format raw).
 *
 * @param bootstrapServers Comma-separated host:port pairs of the brokers.
 * @param topic The topic to write to. Unset: each row's topic column.
 * @param security How to connect: TLS and SASL, with credentials from Secrets.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KafkaSinkSpec(
    @Required @Size(min = 1, max = 4096) String bootstrapServers,
    @Size(min = 1, max = 249) String topic,
    KafkaSecurity security) {}
