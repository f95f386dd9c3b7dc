package dev.streamloop.engine.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.linq4j.function.Strict;

/**
 * Spark's JSON function over text columns: get_json_object with Spark's path forms ({@code $},
 * {@code .name}, {@code ['name']}, {@code [index]}); NULL for text that is no JSON, a path that
 * does not parse or finds nothing, as Spark gives. A string is returned without its quotes, an
 * object or array as compact JSON.
 */
public final class SparkJsonFunctions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SparkJsonFunctions() {}

  @Strict
  public static String getJsonObject(String json, String path) {
    List<Object> steps = steps(path);
    if (steps == null) {
      return null;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return null;
    }
    for (Object step : steps) {
      if (node == null) {
        return null;
      }
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
    }
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** The path's steps (names and indexes), or null when it is not one of Spark's path forms. */
  private static List<Object> steps(String path) {
    if (!path.startsWith("$")) {
      return null;
    }
    List<Object> steps = new ArrayList<>();
    int i = 1;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        int end = i + 1;
        while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        if (end == i + 1) {
          return null;
        }
        steps.add(path.substring(i + 1, end));
        i = end;
      } else if (c == '[') {
        int end = path.indexOf(']', i);
        if (end < 0) {
          return null;
        }
        String inside = path.substring(i + 1, end);
        if (inside.length() >= 2 && inside.startsWith("'") && inside.endsWith("'")) {
          steps.add(inside.substring(1, inside.length() - 1));
        } else if (!inside.isEmpty() && inside.chars().allMatch(Character::isDigit)) {
          steps.add(Integer.parseInt(inside));
        } else {
          return null; // wildcards and expressions are not supported
        }
        i = end + 1;
      } else {
        return null;
      }
    }
    return steps;
  }
}
