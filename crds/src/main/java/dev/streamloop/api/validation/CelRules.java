package dev.streamloop.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the CRD's CEL rules ({@code x-kubernetes-validations}) with cel-java, at every node of
 * the document that has them, as the API server does: {@code self} is the node, a rule that is
 * false reports its message (or its messageExpression) at its fieldPath.
 */
final class CelRules {
  private final Map<String, byte[]> precompiled;
  // Built only for a rule the archive lacks: building the compilers costs start-up time.
  private CelCompiler boolCompiler;
  private CelCompiler stringCompiler;
  private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** Rules from {@code precompiled} (see {@link CelRuleArchive}) are used as they are. */
  CelRules(Map<String, byte[]> precompiled) {
    this.precompiled = precompiled;
  }

  private static CelCompiler compiler(CelType resultType) {
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("self", SimpleType.DYN)
        .setResultType(resultType)
        .build();
  }

  /** Checks the rules of {@code schema} and of all its sub-schemas against {@code node}. */
  List<ValidationError> check(JsonNode schema, JsonNode node) {
    List<ValidationError> errors = new ArrayList<>();
    walk(schema, node, "", errors);
    return errors;
  }

  static String key(String expression, boolean isMessage) {
    return (isMessage ? "m:" : "r:") + expression;
  }

  /** The program of a rule, precompiled or compiled now. */
  CelRuntime.Program program(String expression, boolean isMessage) {
    return programs.computeIfAbsent(
        key(expression, isMessage),
        key -> {
          byte[] archived = precompiled.get(key);
          try {
            return runtime.createProgram(
                archived != null
                    ? CelRuleArchive.decode(archived)
                    : compile(expression, isMessage));
          } catch (CelEvaluationException e) {
            throw new IllegalStateException("CEL rule cannot run: " + expression, e);
          }
        });
  }

  /** Parses and type-checks a rule, failing with the rule's text when it is not valid CEL. */
  synchronized CelAbstractSyntaxTree compile(String expression, boolean isMessage) {
    if (boolCompiler == null) {
      boolCompiler = compiler(SimpleType.BOOL);
      stringCompiler = compiler(SimpleType.STRING);
    }
    try {
      return (isMessage ? stringCompiler : boolCompiler).compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new IllegalStateException("CEL rule does not compile: " + expression, e);
    }
  }

  private void walk(JsonNode schema, JsonNode node, String path, List<ValidationError> out) {
    if (schema == null || schema.isMissingNode() || node == null || node.isNull()) {
      return;
    }
    JsonNode rules = schema.path("x-kubernetes-validations");
    if (!rules.isEmpty()) {
      Object self = toCel(node);
      for (JsonNode rule : rules) {
        evaluate(rule, self, path).ifPresent(out::add);
      }
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> property : schema.path("properties").properties()) {
        walk(property.getValue(), node.get(property.getKey()), join(path, property.getKey()), out);
      }
      JsonNode values = schema.path("additionalProperties");
      if (values.isObject()) {
        node.properties().forEach(e -> walk(values, e.getValue(), join(path, e.getKey()), out));
      }
    } else if (node.isArray() && schema.has("items")) {
      for (int i = 0; i < node.size(); i++) {
        walk(schema.get("items"), node.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private java.util.Optional<ValidationError> evaluate(JsonNode rule, Object self, String path) {
    Map<String, Object> vars = Map.of("self", self);
    String field = path + rule.path("fieldPath").asText("");
    field = field.startsWith(".") ? field.substring(1) : field;
    try {
      if (Boolean.TRUE.equals(program(rule.path("rule").asText(), false).eval(vars))) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(new ValidationError(field, message(rule, vars)));
    } catch (CelEvaluationException e) {
      // The API server also reports a rule it cannot evaluate (usually a wrong type elsewhere).
      return java.util.Optional.of(
          new ValidationError(field, "rule could not be evaluated: " + e.getMessage()));
    }
  }

  private String message(JsonNode rule, Map<String, Object> vars) {
    String expression = rule.path("messageExpression").asText("");
    if (!expression.isEmpty()) {
      try {
        return String.valueOf(program(expression, true).eval(vars));
      } catch (CelEvaluationException e) {
        // fall through to the static message, as the API server does
      }
    }
    String message = rule.path("message").asText("");
    return message.isEmpty() ? "failed rule: " + rule.path("rule").asText() : message;
  }

  /** A JSON value as CEL sees it: objects as maps, integers as int, other numbers as double. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNull()) {
      return NullValue.NULL_VALUE;
    }
    return node.asText();
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
