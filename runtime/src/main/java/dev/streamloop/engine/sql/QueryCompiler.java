package dev.streamloop.engine.sql;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Compiles a query with Apache Calcite, once: parse, validate against the sources' schemas, plan,
 * generate and compile Java code. Identifiers are matched case-insensitively (as Spark does); quote
 * reserved words with double quotes ("timestamp", "value").
 */
public final class QueryCompiler {
  private static final Pattern UNKNOWN_NAME =
      Pattern.compile("(?:Column|Object|Table) '([^']+)' not found");

  private static final Pattern ENCOUNTERED = Pattern.compile("Encountered \"([^\"]+)\"");

  private QueryCompiler() {}

  /**
   * Loads and initialises Calcite's planner and code generator by compiling a tiny query, so that a
   * runner can do it on its second core while it reads and validates its StreamingQuery.
   */
  public static void warmUp() {
    try {
      compile(
          "SELECT n + 1 AS m FROM warm WHERE n > 0",
          List.of(new TableDefinition("warm", List.of(new Column("n", ColumnKind.LONG)))));
    } catch (SqlCompileException e) {
      throw new IllegalStateException("the warm-up query does not compile", e);
    }
  }

  public static BatchQuery compile(String sql, List<TableDefinition> tables)
      throws SqlCompileException {
    SchemaPlus root = CalciteSchema.createRootSchema(false).plus();
    Set<String> knownNames = new TreeSet<>();
    for (TableDefinition table : tables) {
      root.add(table.name(), new BatchTable(table));
      knownNames.add(table.name());
      table.columns().forEach(c -> knownNames.add(c.name()));
    }
    CalcitePipeline pipeline = new CalcitePipeline(root);
    try {
      SqlNode parsed = pipeline.parse(sql);
      if (!parsed.getKind().belongsTo(SqlKind.QUERY)) {
        throw new SqlCompileException(
            "expected one SELECT statement (with UNION ALL if needed), got "
                + parsed.getKind().lowerName,
            parsed.getParserPosition().getLineNum(),
            parsed.getParserPosition().getColumnNum(),
            null);
      }
      SqlNode validated = pipeline.validate(parsed);
      RelRoot relRoot = pipeline.toRel(validated, CalcitePipeline.statelessRules());
      StatelessCheck.check(relRoot.rel);
      EnumerableRel physical = CalcitePipeline.toEnumerable(relRoot.project());
      Bindable<?> bindable =
          EnumerableInterpretable.toBindable(
              new HashMap<>(), null, physical, EnumerableRel.Prefer.ARRAY);
      List<Column> output = new ArrayList<>();
      for (RelDataTypeField field : relRoot.validatedRowType.getFieldList()) {
        output.add(new Column(field.getName(), kind(field)));
      }
      return new CalciteQuery(bindable, output, root, pipeline.typeFactory());
    } catch (SqlParseException e) {
      String message = firstLine(e.getMessage());
      Matcher token = ENCOUNTERED.matcher(message);
      if (token.find() && token.group(1).matches("[A-Za-z_]+")) {
        message +=
            " (if \""
                + token.group(1)
                + "\" is a table or column name, it is a reserved word:"
                + " quote it with double quotes)";
      }
      throw new SqlCompileException(message, e.getPos().getLineNum(), e.getPos().getColumnNum(), e);
    } catch (CalciteContextException e) {
      throw validationError(e, knownNames);
    } catch (RelOptPlanner.CannotPlanException e) {
      throw new SqlCompileException("cannot plan the query: " + firstLine(e.getMessage()), 0, 0, e);
    }
  }

  private static SqlCompileException validationError(
      CalciteContextException context, Set<String> known) {
    String message =
        context.getCause() != null ? context.getCause().getMessage() : context.getMessage();
    Matcher unknown = UNKNOWN_NAME.matcher(message);
    if (unknown.find()) {
      String name = unknown.group(1);
      message +=
          NameSuggestions.closest(name, known)
              .map(s -> "; did you mean '" + s + "'?")
              .orElse("; known tables and columns: " + String.join(", ", known));
    }
    return new SqlCompileException(message, context.getPosLine(), context.getPosColumn(), context);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static ColumnKind kind(RelDataTypeField field) {
    return switch (field.getType().getSqlTypeName()) {
      case BOOLEAN -> ColumnKind.BOOLEAN;
      case TINYINT, SMALLINT, INTEGER -> ColumnKind.INT;
      case BIGINT -> ColumnKind.LONG;
      case FLOAT, REAL, DOUBLE -> ColumnKind.DOUBLE;
      case DECIMAL -> ColumnKind.DECIMAL;
      case DATE -> ColumnKind.DATE;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> ColumnKind.TIMESTAMP;
      case BINARY, VARBINARY -> ColumnKind.BINARY;
      default -> ColumnKind.STRING;
    };
  }
}
