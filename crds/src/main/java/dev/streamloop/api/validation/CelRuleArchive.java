package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelProtoAbstractSyntaxTree;
import dev.cel.expr.CheckedExpr;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CRD's CEL rules, parsed and type-checked by the build and stored as checked expressions, so
 * that a validator at start-up only loads them: compiling the rules was about a third of the
 * runner's validation time. Keys are {@code r:RULE} and {@code m:MESSAGE_EXPRESSION}.
 *
 * <p>Format: an int count, then per rule its key (modified UTF-8), the length of the serialised
 * {@code cel.expr.CheckedExpr} and its bytes.
 */
public final class CelRuleArchive {
  /** Where the build puts the archive, next to the CRD's JSON. */
  static final String RESOURCE = "/dev/streamloop/api/cel-rules.bin";

  private CelRuleArchive() {}

  /**
   * Compiles every rule and message expression of {@code schema} and writes them to {@code out}.
   */
  public static void write(JsonNode schema, OutputStream out) throws IOException {
    CelRules rules = new CelRules(Map.of());
    Map<String, CelAbstractSyntaxTree> compiled = new TreeMap<>();
    collect(schema, rules, compiled);
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(compiled.size());
    for (Map.Entry<String, CelAbstractSyntaxTree> entry : compiled.entrySet()) {
      byte[] bytes =
          CelProtoAbstractSyntaxTree.fromCelAst(entry.getValue()).toCheckedExpr().toByteArray();
      data.writeUTF(entry.getKey());
      data.writeInt(bytes.length);
      data.write(bytes);
    }
    data.flush();
  }

  /**
   * The archive shipped with this jar (serialised checked expressions by key, decoded by {@link
   * #decode} when a rule is first used), or an empty map if the build did not write one.
   */
  static Map<String, byte[]> load() {
    try (InputStream in = CelRuleArchive.class.getResourceAsStream(RESOURCE)) {
      return in == null ? Map.of() : read(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  static Map<String, byte[]> read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int count = data.readInt();
    Map<String, byte[]> rules = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String key = data.readUTF();
      byte[] bytes = new byte[data.readInt()];
      data.readFully(bytes);
      rules.put(key, bytes);
    }
    return rules;
  }

  static CelAbstractSyntaxTree decode(byte[] checkedExpr) {
    try {
      return CelProtoAbstractSyntaxTree.fromCheckedExpr(CheckedExpr.parseFrom(checkedExpr))
          .getAst();
    } catch (IOException e) {
      throw new IllegalStateException("damaged " + RESOURCE + ": " + e.getMessage(), e);
    }
  }

  private static void collect(
      JsonNode schema, CelRules rules, Map<String, CelAbstractSyntaxTree> out) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      out.put(CelRules.key(expression, false), rules.compile(expression, false));
      String message = rule.path("messageExpression").asText("");
      if (!message.isEmpty()) {
        out.put(CelRules.key(message, true), rules.compile(message, true));
      }
    }
    schema.path("properties").forEach(property -> collect(property, rules, out));
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), rules, out);
    }
    if (schema.has("items")) {
      collect(schema.get("items"), rules, out);
    }
  }
}
