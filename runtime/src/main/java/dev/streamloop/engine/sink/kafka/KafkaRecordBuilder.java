package dev.streamloop.engine.sink.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import dev.streamloop.engine.sink.RowEncoder;
import dev.streamloop.engine.sink.RowFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns a result row into a Kafka record, as Spark's Kafka sink does with its columns: {@code key},
 * {@code topic}, {@code partition} and {@code headers} (a JSON object of strings, as the Kafka
 * source gives it) route the record when present. With format raw the value is the {@code value}
 * column; with json or csv it is the row's other columns, encoded.
 */
final class KafkaRecordBuilder {
  /** Columns that route a record rather than being part of its encoded value. */
  static final List<String> ROUTING_COLUMNS = List.of("key", "topic", "partition", "headers");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Column> columns;
  private final String topic;
  private final int key;
  private final int topicColumn;
  private final int partition;
  private final int headers;
  private final int rawValue;
  private final RowEncoder encoder;

  /**
   * @param topic The topic of every record, or null to take each row's topic column.
   * @param format JSON or CSV to encode the value, or null for raw (the value column).
   */
  KafkaRecordBuilder(List<Column> columns, String topic, RowFormat.Kind format, char delimiter) {
    this.columns = columns;
    this.topic = topic;
    this.key = indexOf(columns, "key");
    this.topicColumn = indexOf(columns, "topic");
    this.partition = indexOf(columns, "partition");
    this.headers = indexOf(columns, "headers");
    this.rawValue = format == null ? indexOf(columns, "value") : -1;
    int[] valueFields =
        IntStream.range(0, columns.size())
            .filter(i -> !ROUTING_COLUMNS.contains(columns.get(i).name()))
            .toArray();
    this.encoder = format == null ? null : new RowEncoder(format, columns, valueFields, delimiter);
  }

  /** Why these columns cannot make records, or null when they can. */
  static String problem(List<Column> columns, String topic, boolean raw) {
    if (topic == null && indexOf(columns, "topic") < 0) {
      return "the result has no topic column and the sink no topic: set kafka.topic, or select a"
          + " column named topic";
    }
    if (raw && indexOf(columns, "value") < 0) {
      return "format raw writes the value column, and the result has none: select a column"
          + " named value, or use format json";
    }
    int partition = indexOf(columns, "partition");
    if (partition >= 0 && columns.get(partition).kind() != ColumnKind.INT) {
      return "the partition column must be an INT (it is "
          + columns.get(partition).kind()
          + "): cast it, or rename it to let the producer choose";
    }
    return null;
  }

  ProducerRecord<byte[], byte[]> build(Object[] row) {
    String target = topic != null ? topic : (String) row[topicColumn];
    if (target == null) {
      throw new IllegalArgumentException(
          "a row's topic column is null and the sink sets no topic: set kafka.topic, or keep"
              + " such rows out of the result (WHERE topic IS NOT NULL)");
    }
    Integer toPartition = partition >= 0 ? (Integer) row[partition] : null;
    byte[] keyBytes = key >= 0 ? bytes(key, row[key]) : null;
    byte[] value = encoder != null ? encoder.encode(row) : bytes(rawValue, row[rawValue]);
    return new ProducerRecord<>(
        target, toPartition, null, keyBytes, value, headers >= 0 ? headers(row[headers]) : null);
  }

  private byte[] bytes(int column, Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof ByteString b) {
      return b.getBytes();
    }
    return RowFormat.text(columns.get(column), value).getBytes(StandardCharsets.UTF_8);
  }

  private static List<org.apache.kafka.common.header.Header> headers(Object value) {
    if (value == null) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree((String) value);
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "the headers column must hold a JSON object of strings, such as {\"source\":\"web\"}", e);
    }
    List<org.apache.kafka.common.header.Header> result = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      byte[] bytes =
          field.getValue().isNull()
              ? null
              : field.getValue().asText().getBytes(StandardCharsets.UTF_8);
      result.add(new RecordHeader(field.getKey(), bytes));
    }
    return result;
  }

  private static int indexOf(List<Column> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }
}
