package dev.streamloop.engine.sql;

import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql.validate.SqlValidatorException;
import org.apache.calcite.sql2rel.SqlRexContext;

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

  private static final SqlUserDefinedFunction IMPLEMENTATION;

  static {
    try {
      IMPLEMENTATION =
          new SqlUserDefinedFunction(
              new SqlIdentifier("SPARK_FROM_JSON", SqlParserPos.ZERO),
              SqlKind.OTHER_FUNCTION,
              ReturnTypes.ARG0,
              null,
              null,
              ScalarFunctionImpl.create(
                  JsonStructs.class.getMethod("fromJson", String.class, String.class)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("JsonStructs.fromJson is the implementation", e);
    }
  }

  private SparkJsonStructs() {}

  private static RelDataType structType(SqlOperatorBinding binding) {
    String schema =
        binding.isOperandLiteral(1, false) ? binding.getOperandLiteralValue(1, String.class) : null;
    try {
      if (schema == null) {
        throw new IllegalArgumentException(
            "the schema of from_json must be a string literal, such as 'a INT, b STRING'");
      }
      return SparkSchemaText.parse(schema).relType(binding.getTypeFactory());
    } catch (IllegalArgumentException e) {
      SqlParserPos pos =
          binding instanceof SqlCallBinding call
              ? call.getCall().getParserPosition()
              : SqlParserPos.ZERO;
      throw new CalciteContextException(
          e.getMessage(),
          new SqlValidatorException(e.getMessage(), null),
          pos.getLineNum(),
          pos.getColumnNum(),
          pos.getEndLineNum(),
          pos.getEndColumnNum());
    }
  }

  /** from_json as a call of {@link JsonStructs#fromJson}, typed as validated. */
  static RexNode convert(SqlRexContext cx, SqlCall call) {
    return cx.getRexBuilder()
        .makeCall(
            cx.getValidator().getValidatedNodeType(call),
            IMPLEMENTATION,
            List.of(cx.convertExpression(call.operand(0)), cx.convertExpression(call.operand(1))));
  }
}
