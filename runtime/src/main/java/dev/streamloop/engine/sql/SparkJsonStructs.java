package dev.streamloop.engine.sql;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.StructKind;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidatorException;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.util.Util;

/**
 * Spark's {@code from_json(text, schema)}: the schema a string literal in Spark's DDL ({@link
 * SparkSchemaText}), the result a struct whose fields the query reads as {@code j.a} or {@code
 * from_json(v, 'a INT').a}. Its type is known when the query is validated, from the literal.
 */
final class SparkJsonStructs {
  static final SqlFunction FROM_JSON =
      new SqlFunction(
          "FROM_JSON",
          SqlKind.OTHER_FUNCTION,
          SparkJsonStructs::structType,
          null,
          OperandTypes.STRING_STRING,
          SqlFunctionCategory.STRING);

  /** Spark's to_json(struct, array or map): the value as JSON text, NULL fields left out. */
  static final SqlFunction TO_JSON =
      new SqlFunction(
          "TO_JSON",
          SqlKind.OTHER_FUNCTION,
          SparkJsonStructs::jsonTextType,
          null,
          OperandTypes.ANY,
          SqlFunctionCategory.STRING);

  /** Spark's struct(a, b, ...): its fields named after the columns (col2 for an expression). */
  static final SqlFunction STRUCT =
      new SqlFunction(
          "STRUCT",
          SqlKind.OTHER_FUNCTION,
          SparkJsonStructs::structOfColumns,
          null,
          OperandTypes.ONE_OR_MORE,
          SqlFunctionCategory.SYSTEM);

  /** Spark's named_struct('a', x, 'b', y, ...). */
  static final SqlFunction NAMED_STRUCT =
      new SqlFunction(
          "NAMED_STRUCT",
          SqlKind.OTHER_FUNCTION,
          SparkJsonStructs::namedStruct,
          null,
          OperandTypes.ONE_OR_MORE,
          SqlFunctionCategory.SYSTEM);

  static final List<SqlFunction> OPERATORS = List.of(FROM_JSON, TO_JSON, STRUCT, NAMED_STRUCT);

  private static final SqlUserDefinedFunction FROM_JSON_IMPLEMENTATION =
      implementation("SPARK_FROM_JSON", "fromJson", ReturnTypes.ARG0);
  private static final SqlUserDefinedFunction TO_JSON_IMPLEMENTATION =
      implementation("SPARK_TO_JSON", "toJson", ReturnTypes.VARCHAR_NULLABLE);

  private SparkJsonStructs() {}

  private static SqlUserDefinedFunction implementation(
      String name, String method, SqlReturnTypeInference type) {
    Method implementation =
        Arrays.stream(JsonStructs.class.getMethods())
            .filter(m -> m.getName().equals(method))
            .findFirst()
            .orElseThrow();
    return new SqlUserDefinedFunction(
        new SqlIdentifier(name, SqlParserPos.ZERO),
        SqlKind.OTHER_FUNCTION,
        type,
        null,
        null,
        ScalarFunctionImpl.create(implementation));
  }

  /** The conversion of these functions' calls, or null for another operator's. */
  static SqlRexConvertlet convertlet(SqlOperator operator) {
    if (operator == FROM_JSON) {
      return SparkJsonStructs::convertFromJson;
    }
    if (operator == TO_JSON) {
      return SparkJsonStructs::convertToJson;
    }
    if (operator == STRUCT || operator == NAMED_STRUCT) {
      return SparkJsonStructs::convertStruct;
    }
    return null;
  }

  private static RelDataType structType(SqlOperatorBinding binding) {
    String schema =
        binding.isOperandLiteral(1, false) ? binding.getOperandLiteralValue(1, String.class) : null;
    try {
      if (schema == null) {
        throw new IllegalArgumentException(
            "the schema of from_json must be a string literal, such as 'a INT, b STRING'");
      }
      JsonStructType type = SparkSchemaText.parse(schema);
      if (!"STRUCT".equals(type.container())) {
        throw new IllegalArgumentException(
            "the schema of from_json must be a struct ('a INT, b STRING' or 'STRUCT<...>'), not "
                + schema);
      }
      return type.relType(binding.getTypeFactory());
    } catch (IllegalArgumentException e) {
      throw validationError(binding, e.getMessage());
    }
  }

  /** VARCHAR for a struct, an array or a map whose values to_json can write; else refused. */
  private static RelDataType jsonTextType(SqlOperatorBinding binding) {
    RelDataType operand = binding.getOperandType(0);
    boolean container =
        operand.isStruct()
            || operand.getSqlTypeName() == SqlTypeName.ARRAY
            || operand.getSqlTypeName() == SqlTypeName.MAP;
    if (!container || JsonTypeText.of(operand) == null) {
      throw validationError(
          binding,
          "to_json takes a struct, an array or a map of text, numbers, booleans, dates and"
              + " timestamps (such as to_json(struct(a, b)) or to_json(named_struct('a', x))),"
              + " not "
              + operand.getFullTypeString());
    }
    return ReturnTypes.VARCHAR_NULLABLE.inferReturnType(binding);
  }

  private static RelDataType structOfColumns(SqlOperatorBinding binding) {
    List<String> names = new ArrayList<>();
    List<RelDataType> types = new ArrayList<>();
    for (int i = 0; i < binding.getOperandCount(); i++) {
      SqlNode operand = binding instanceof SqlCallBinding call ? call.operand(i) : null;
      names.add(operand instanceof SqlIdentifier id ? Util.last(id.names) : "col" + (i + 1));
      types.add(binding.getOperandType(i));
    }
    return struct(binding, types, names);
  }

  private static RelDataType namedStruct(SqlOperatorBinding binding) {
    if (binding.getOperandCount() % 2 != 0) {
      throw validationError(binding, "named_struct takes pairs of a name and a value");
    }
    List<String> names = new ArrayList<>();
    List<RelDataType> types = new ArrayList<>();
    for (int i = 0; i < binding.getOperandCount(); i += 2) {
      if (!binding.isOperandLiteral(i, false)) {
        throw validationError(
            binding, "the names of named_struct must be string literals: argument " + (i + 1));
      }
      names.add(binding.getOperandLiteralValue(i, String.class));
      types.add(binding.getOperandType(i + 1));
    }
    return struct(binding, types, names);
  }

  private static RelDataType struct(
      SqlOperatorBinding binding, List<RelDataType> types, List<String> names) {
    // PEEK_FIELDS_NO_EXPAND, as from_json's structs: a field reads as s.a
    return binding
        .getTypeFactory()
        .createStructType(StructKind.PEEK_FIELDS_NO_EXPAND, types, names);
  }

  private static CalciteContextException validationError(
      SqlOperatorBinding binding, String message) {
    SqlParserPos pos =
        binding instanceof SqlCallBinding call
            ? call.getCall().getParserPosition()
            : SqlParserPos.ZERO;
    return new CalciteContextException(
        message,
        new SqlValidatorException(message, null),
        pos.getLineNum(),
        pos.getColumnNum(),
        pos.getEndLineNum(),
        pos.getEndColumnNum());
  }

  /** from_json as a call of {@link JsonStructs#fromJson}, typed as validated. */
  private static RexNode convertFromJson(SqlRexContext cx, SqlCall call) {
    return cx.getRexBuilder()
        .makeCall(
            cx.getValidator().getValidatedNodeType(call),
            FROM_JSON_IMPLEMENTATION,
            List.of(cx.convertExpression(call.operand(0)), cx.convertExpression(call.operand(1))));
  }

  /** to_json as a call of {@link JsonStructs#toJson} with its operand's type in Spark's DDL. */
  private static RexNode convertToJson(SqlRexContext cx, SqlCall call) {
    RexNode value = cx.convertExpression(call.operand(0));
    String type = JsonTypeText.of(value.getType());
    return cx.getRexBuilder()
        .makeCall(
            cx.getValidator().getValidatedNodeType(call),
            TO_JSON_IMPLEMENTATION,
            List.of(value, cx.getRexBuilder().makeLiteral(type)));
  }

  /** struct(...) and named_struct(...) as Calcite's ROW, typed with the struct's names. */
  private static RexNode convertStruct(SqlRexContext cx, SqlCall call) {
    List<SqlNode> operands = call.getOperandList();
    List<RexNode> values = new ArrayList<>();
    int step = call.getOperator() == NAMED_STRUCT ? 2 : 1;
    for (int i = step - 1; i < operands.size(); i += step) {
      values.add(cx.convertExpression(operands.get(i)));
    }
    return cx.getRexBuilder()
        .makeCall(cx.getValidator().getValidatedNodeType(call), SqlStdOperatorTable.ROW, values);
  }
}
