package dev.streamloop.engine.sql;

import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlFloorFunction;
import org.apache.calcite.sql.fun.SqlItemOperator;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlSingleOperandTypeChecker;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.sql2rel.SqlRexContext;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.StandardConvertletTable;

/**
 * Spark's operators where Calcite's have the same syntax and another meaning: {@code /} of integers
 * is a DOUBLE (Calcite: an integer quotient), FLOOR and CEIL of a number are a BIGINT (Calcite: the
 * operand's type), {@code array[i]} counts from 0 (Calcite: from 1), and split and size exist. They
 * take the place of Calcite's in the operator table (the validator looks an operator up again by
 * its name), so the validator types them as Spark does, and {@link #CONVERTLETS} turns them back
 * into operators Calcite knows how to run, with casts. {@link #rewrite} also puts back the words
 * {@link SparkQueryText} marked and reads string literals with Spark's escapes.
 */
final class SparkOperators {
  /** Spark's {@code /}: DOUBLE unless an operand is a DECIMAL or an interval. */
  static final SqlBinaryOperator DIVIDE =
      new SqlBinaryOperator(
          "/",
          SqlKind.DIVIDE,
          60,
          true,
          SparkOperators::quotientType,
          null,
          OperandTypes.DIVISION_OPERATOR);

  /** Spark's FLOOR of a number: BIGINT unless a DECIMAL. */
  static final SqlFunction FLOOR = rounding((SqlFloorFunction) SqlStdOperatorTable.FLOOR);

  /** Spark's CEIL of a number: BIGINT unless a DECIMAL. */
  static final SqlFunction CEIL = rounding((SqlFloorFunction) SqlStdOperatorTable.CEIL);

  private static final SqlUserDefinedFunction DOUBLE_DIVIDE =
      implementation("SPARK_DIVIDE", SparkArithmetic.class, "divide", Double.class, Double.class);

  /**
   * Spark's {@code array[i]}: 0-based, an error out of bounds (ANSI); {@code map[key]} as
   * Calcite's.
   */
  static final SqlItemOperator ITEM =
      new SqlItemOperator(
          "ITEM",
          (SqlSingleOperandTypeChecker) SqlStdOperatorTable.ITEM.getOperandTypeChecker(),
          0,
          false);

  /** Spark's split(text, pattern[, limit]): an ARRAY of VARCHAR. */
  static final SqlFunction SPLIT =
      new SqlFunction(
          "SPLIT",
          SqlKind.OTHER_FUNCTION,
          binding -> {
            RelDataTypeFactory types = binding.getTypeFactory();
            RelDataType array = types.createArrayType(types.createSqlType(SqlTypeName.VARCHAR), -1);
            boolean nullable = false;
            for (int i = 0; i < binding.getOperandCount(); i++) {
              nullable |= binding.getOperandType(i).isNullable();
            }
            return types.createTypeWithNullability(array, nullable);
          },
          null,
          OperandTypes.or(
              OperandTypes.STRING_STRING,
              OperandTypes.family(
                  SqlTypeFamily.STRING, SqlTypeFamily.STRING, SqlTypeFamily.INTEGER)),
          SqlFunctionCategory.STRING);

  /** Spark's size of an array or a map: an INT, NULL for NULL (ANSI). */
  static final SqlFunction SIZE =
      new SqlFunction(
          "SIZE",
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.INTEGER_NULLABLE,
          null,
          OperandTypes.or(OperandTypes.ARRAY, OperandTypes.MAP),
          SqlFunctionCategory.SYSTEM);

  /** SparkArrays.split with two arguments, and with three (a limit). */
  private static final List<SqlUserDefinedFunction> SPLIT_IMPLEMENTATIONS =
      List.of(
          implementation("SPARK_SPLIT", SparkArrays.class, "split", String.class, String.class),
          implementation(
              "SPARK_SPLIT",
              SparkArrays.class,
              "split",
              String.class,
              String.class,
              Integer.class));

  /** Spark's operators, which the validator finds in place of Calcite's of the same names. */
  static final List<SqlOperator> OPERATORS =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of(DIVIDE, FLOOR, CEIL, ITEM, SPLIT, SIZE),
              SparkJsonStructs.OPERATORS.stream())
          .toList();

  /** The names of Calcite's operators that {@link #OPERATORS} replace. */
  static final Set<String> REPLACED = Set.of("/", "FLOOR", "CEIL", "ITEM", "SPLIT", "SIZE");

  /** Calcite's conversion with Spark's operators turned back into Calcite's. */
  static final SqlRexConvertletTable CONVERTLETS =
      call -> {
        if (call.getOperator() == DIVIDE) {
          return SparkOperators::convertDivide;
        }
        if (call.getOperator() == FLOOR || call.getOperator() == CEIL) {
          return SparkOperators::convertRounding;
        }
        if (call.getOperator() == ITEM) {
          return SparkOperators::convertItem;
        }
        if (call.getOperator() == SPLIT) {
          return (cx, c) ->
              cx.getRexBuilder()
                  .makeCall(
                      cx.getValidator().getValidatedNodeType(c),
                      SPLIT_IMPLEMENTATIONS.get(c.operandCount() - 2),
                      c.getOperandList().stream().map(cx::convertExpression).toList());
        }
        if (SparkJsonStructs.convertlet(call.getOperator()) != null) {
          return SparkJsonStructs.convertlet(call.getOperator());
        }
        if (call.getOperator() == SIZE) {
          return (cx, c) ->
              cx.getRexBuilder()
                  .makeCall(
                      cx.getValidator().getValidatedNodeType(c),
                      SqlStdOperatorTable.CARDINALITY,
                      List.of(cx.convertExpression(c.operand(0))));
        }
        return StandardConvertletTable.INSTANCE.get(call);
      };

  private SparkOperators() {}

  /**
   * Moves {@code /}, FLOOR(x) and CEIL(x) of the parse tree to Spark's operators, names the
   * functions {@link SparkQueryText} marked as written, and reads string literals with Spark's
   * escapes ({@link SparkStringLiterals}).
   */
  static SqlNode rewrite(SqlNode parsed) {
    return parsed.accept(
        new SqlShuttle() {
          @Override
          public SqlNode visit(SqlIdentifier id) {
            if (id.names.stream().noneMatch(n -> SparkQueryText.unmarkedName(n) != null)) {
              return id;
            }
            List<String> names =
                id.names.stream()
                    .map(
                        n ->
                            SparkQueryText.unmarkedName(n) != null
                                ? SparkQueryText.unmarkedName(n)
                                : n)
                    .toList();
            id.setNames(names, null);
            return id;
          }

          @Override
          public SqlNode visit(SqlLiteral literal) {
            if (literal instanceof SqlCharStringLiteral text) {
              String value = text.getValueAs(String.class);
              String unescaped = SparkStringLiterals.unescape(value);
              if (!unescaped.equals(value)) {
                return SqlLiteral.createCharString(unescaped, literal.getParserPosition());
              }
            }
            return literal;
          }

          @Override
          public SqlNode visit(SqlCall call) {
            if (call instanceof SqlBasicCall basic) {
              String unmarked = SparkQueryText.unmarkedName(basic.getOperator().getName());
              if (unmarked != null) {
                basic.setOperator(
                    new SqlUnresolvedFunction(
                        new SqlIdentifier(
                            unmarked, basic.getOperator().getNameAsId().getParserPosition()),
                        null,
                        null,
                        null,
                        null,
                        SqlFunctionCategory.USER_DEFINED_FUNCTION));
              } else if (basic.getOperator() == SqlStdOperatorTable.ITEM) {
                basic.setOperator(ITEM);
              } else if (basic.getOperator() == SqlStdOperatorTable.DIVIDE) {
                basic.setOperator(DIVIDE);
              } else if (basic.getOperator() == SqlStdOperatorTable.FLOOR
                  && basic.operandCount() == 1) {
                basic.setOperator(FLOOR);
              } else if (basic.getOperator() == SqlStdOperatorTable.CEIL
                  && basic.operandCount() == 1) {
                basic.setOperator(CEIL);
              }
            }
            return super.visit(call);
          }
        });
  }

  private static boolean keepsCalcitesQuotient(RelDataType a, RelDataType b) {
    boolean approximate =
        SqlTypeUtil.isApproximateNumeric(a) || SqlTypeUtil.isApproximateNumeric(b);
    return !approximate
        && (SqlTypeUtil.isDecimal(a)
            || SqlTypeUtil.isDecimal(b)
            || SqlTypeUtil.isInterval(a)
            || SqlTypeUtil.isInterval(b));
  }

  private static RelDataType quotientType(SqlOperatorBinding binding) {
    RelDataType a = binding.getOperandType(0);
    RelDataType b = binding.getOperandType(1);
    if (keepsCalcitesQuotient(a, b)) {
      return ReturnTypes.QUOTIENT_NULLABLE.inferReturnType(binding);
    }
    return ReturnTypes.DOUBLE_NULLABLE.inferReturnType(binding);
  }

  /** Calcite's FLOOR or CEIL (both forms: of a number, of a time to a unit), Spark's types. */
  private static SqlFunction rounding(SqlFloorFunction calcites) {
    SqlReturnTypeInference calcitesType = calcites.getReturnTypeInference();
    return calcites.withReturnTypeInference(
        binding -> {
          RelDataType operand = binding.getOperandType(0);
          if (binding.getOperandCount() != 1
              || !SqlTypeUtil.isNumeric(operand)
              || SqlTypeUtil.isDecimal(operand)) {
            return calcitesType.inferReturnType(binding);
          }
          RelDataTypeFactory types = binding.getTypeFactory();
          return types.createTypeWithNullability(
              types.createSqlType(SqlTypeName.BIGINT), operand.isNullable());
        });
  }

  private static RexNode convertDivide(SqlRexContext cx, SqlCall call) {
    RexBuilder rex = cx.getRexBuilder();
    RelDataType type = cx.getValidator().getValidatedNodeType(call);
    RexNode a = cx.convertExpression(call.operand(0));
    RexNode b = cx.convertExpression(call.operand(1));
    if (keepsCalcitesQuotient(a.getType(), b.getType())) {
      return rex.makeCall(type, SqlStdOperatorTable.DIVIDE, List.of(a, b));
    }
    return rex.makeCall(type, DOUBLE_DIVIDE, List.of(toDouble(rex, a), toDouble(rex, b)));
  }

  private static RexNode convertRounding(SqlRexContext cx, SqlCall call) {
    SqlOperator calcites =
        call.getOperator() == FLOOR ? SqlStdOperatorTable.FLOOR : SqlStdOperatorTable.CEIL;
    ((SqlBasicCall) call).setOperator(calcites);
    if (call.operandCount() != 1) {
      return StandardConvertletTable.INSTANCE.get(call).convertCall(cx, call); // FLOOR(ts TO DAY)
    }
    RexBuilder rex = cx.getRexBuilder();
    RexNode rounded = rex.makeCall(calcites, cx.convertExpression(call.operand(0)));
    return rex.makeCast(cx.getValidator().getValidatedNodeType(call), rounded);
  }

  private static SqlUserDefinedFunction implementation(
      String name, Class<?> type, String method, Class<?>... parameters) {
    try {
      return new SqlUserDefinedFunction(
          new SqlIdentifier(name, SqlParserPos.ZERO),
          SqlKind.OTHER_FUNCTION,
          ReturnTypes.ARG0,
          null,
          null,
          ScalarFunctionImpl.create(type.getMethod(method, parameters)));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(type.getName() + "." + method + " is the implementation", e);
    }
  }

  /** An array's element by Calcite's 0-based OFFSET (BigQuery's), a map's value by ITEM. */
  private static RexNode convertItem(SqlRexContext cx, SqlCall call) {
    RexNode container = cx.convertExpression(call.operand(0));
    RexNode index = cx.convertExpression(call.operand(1));
    SqlOperator calcites =
        SqlTypeUtil.isArray(container.getType())
            ? SqlLibraryOperators.OFFSET
            : SqlStdOperatorTable.ITEM;
    return cx.getRexBuilder()
        .makeCall(
            cx.getValidator().getValidatedNodeType(call), calcites, List.of(container, index));
  }

  private static RexNode toDouble(RexBuilder rex, RexNode node) {
    RelDataTypeFactory types = rex.getTypeFactory();
    return rex.makeCast(
        types.createTypeWithNullability(
            types.createSqlType(SqlTypeName.DOUBLE), node.getType().isNullable()),
        node);
  }
}
