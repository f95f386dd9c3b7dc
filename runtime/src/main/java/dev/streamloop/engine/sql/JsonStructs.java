package dev.streamloop.engine.sql;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.calcite.linq4j.function.Strict;

/**
 * What {@code from_json} and {@code to_json} run ({@link SparkJsonStructs}): text parsed as a
 * struct of the schema the query declared, as Spark's permissive mode gives it, and a struct, array
 * or map written as JSON text. Text that is not a JSON object gives a struct whose fields are all
 * NULL (not a NULL struct), NULL text a NULL struct.
 */
public final class JsonStructs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, JsonStructType> SCHEMAS = new ConcurrentHashMap<>();

  private JsonStructs() {}

  /** Spark's to_json: {@code value} of the type {@code type} (Spark's DDL) as JSON text. */
  @Strict
  public static String toJson(Object value, String type) {
    JsonStructType described = SCHEMAS.computeIfAbsent(type, SparkSchemaText::parse);
    StringWriter text = new StringWriter();
    try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
      described.write(value, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter: only an encoding bug gets here
    }
    return text.toString();
  }

  @Strict
  public static Object[] fromJson(String json, String schema) {
    JsonStructType type = SCHEMAS.computeIfAbsent(schema, SparkSchemaText::parse);
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      node = null;
    }
    return type.fields(node != null && node.isObject() ? node : null);
  }
}
