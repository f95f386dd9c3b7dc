package dev.streamloop.engine.source;

/** Decodes one record (a line of a file, or a Kafka value) into a row in schema order. */
public interface RecordParser {
  /**
   * The row; {@link IllegalArgumentException} with the reason when the record is malformed (a bad
   * record, handled by the query's policy).
   */
  Object[] parse(byte[] bytes, int offset, int length);
}
