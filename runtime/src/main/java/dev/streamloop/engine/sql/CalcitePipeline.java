package dev.streamloop.engine.sql;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRules;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.metadata.DefaultRelMetadataProvider;
import org.apache.calcite.rel.metadata.ProxyingMetadataHandlerProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CalcMergeRule;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.FilterToCalcRule;
import org.apache.calcite.rel.rules.ProjectToCalcRule;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorUtil;
import org.apache.calcite.sql2rel.ConvertToChecked;
import org.apache.calcite.sql2rel.SqlToRelConverter;

/**
 * Calcite's parse → validate → convert → plan steps, wired by hand instead of through {@code
 * Frameworks.getPlanner}: that planner registers Calcite's whole default rule set only to clear it,
 * and its cluster generates metadata handlers with Janino. Reflective handlers and only the rules a
 * stateless query needs cut Calcite's first compilation from about 0.95 s to about 0.5 s, which is
 * most of the runner's start-up.
 */
final class CalcitePipeline {
  /**
   * Calcite's Babel parser, whose reserved words are few, as Spark's are: day, minute, value or
   * user name columns without quotes.
   */
  private static final SqlParser.Config PARSER =
      SqlParser.config()
          .withParserFactory(SqlBabelParserImpl.FACTORY)
          .withCaseSensitive(false)
          .withUnquotedCasing(Casing.UNCHANGED)
          .withQuotedCasing(Casing.UNCHANGED)
          .withConformance(SparkConformance.INSTANCE);

  /**
   * Functions without parentheses that the validator would take an identifier for before it looks
   * for a column (a column named user would read the JVM's user name); Spark has none of them.
   */
  private static final Set<String> NILADIC =
      Set.of(
          "USER",
          "CURRENT_USER",
          "SESSION_USER",
          "SYSTEM_USER",
          "CURRENT_ROLE",
          "CURRENT_PATH",
          "CURRENT_CATALOG",
          "CURRENT_SCHEMA");

  /** Spark's type names that Calcite lacks, for CAST(x AS STRING). */
  private static final Map<String, SqlTypeName> TYPE_NAMES =
      Map.of(
          "STRING", SqlTypeName.VARCHAR,
          "LONG", SqlTypeName.BIGINT,
          "SHORT", SqlTypeName.SMALLINT,
          "BYTE", SqlTypeName.TINYINT);

  private final JavaTypeFactory typeFactory = new SparkTypeFactory();
  private final CalciteCatalogReader catalog;
  private final SqlValidator validator;

  CalcitePipeline(SchemaPlus root) {
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    catalog =
        new CalciteCatalogReader(
            CalciteSchema.from(root),
            List.of(),
            typeFactory,
            new CalciteConnectionConfigImpl(properties));
    // Spark's functions with Spark's meaning (Calcite's of the same names follow other databases),
    // and REPEAT, SPACE, LPAD and RPAD bounded in what they build
    SparkFunctions.register(root);
    TYPE_NAMES.forEach((name, type) -> root.add(name, types -> types.createSqlType(type)));
    SqlOperatorTable operators = SqlOperatorTables.chain(builtInOperators(), catalog);
    validator =
        SqlValidatorUtil.newValidator(
            operators,
            catalog,
            typeFactory,
            SqlValidator.Config.DEFAULT
                .withConformance(SparkConformance.INSTANCE)
                .withIdentifierExpansion(true));
  }

  /**
   * The operators every query has besides Spark's functions (the schema's): Calcite's standard and
   * Spark-library ones, less those the engine replaces, plus Spark's operators and concat.
   */
  static SqlOperatorTable builtInOperators() {
    Set<String> replaced = new TreeSet<>(SparkFunctions.NAMES);
    replaced.addAll(NILADIC);
    replaced.addAll(SparkOperators.REPLACED);
    return SqlOperatorTables.chain(
        new WithoutOperators(
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(
                SqlLibrary.STANDARD, SqlLibrary.SPARK),
            replaced),
        SqlOperatorTables.of(SparkOperators.OPERATORS),
        // Spark's concat: NULL when an argument is NULL
        SqlOperatorTables.of(SqlLibraryOperators.CONCAT_FUNCTION));
  }

  JavaTypeFactory typeFactory() {
    return typeFactory;
  }

  /** A table of the schema, for a scan built into a plan. */
  RelOptTable table(String name) {
    return catalog.getTable(List.of(name));
  }

  /**
   * Parses Calcite's dialect, with Spark's backquoted identifiers as double-quoted ones and Spark's
   * {@code GROUP BY window(ts, duration)} as Calcite's window table functions.
   */
  SqlNode parse(String sql) throws SqlParseException, SqlCompileException {
    SparkQueryText.Marked marked = SparkQueryText.mark(BackquotedIdentifiers.toDoubleQuoted(sql));
    SqlNode parsed = SqlParser.create(marked.text(), PARSER).parseQuery();
    return SparkOperators.rewrite(SparkTimeWindows.rewrite(parsed, marked));
  }

  /** Throws Calcite's {@code CalciteContextException} (with a position) on an invalid query. */
  SqlNode validate(SqlNode parsed) {
    return validator.validate(parsed);
  }

  /** Converts a validated query to relational algebra, on a planner that has only our rules. */
  RelRoot toRel(SqlNode validated, List<RelOptRule> rules) {
    VolcanoPlanner planner = new VolcanoPlanner();
    planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
    rules.forEach(planner::addRule);
    RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
    cluster.setMetadataQuerySupplier(
        () ->
            new RelMetadataQuery(
                new ProxyingMetadataHandlerProvider(DefaultRelMetadataProvider.INSTANCE)));
    SqlToRelConverter converter =
        new SqlToRelConverter(
            null,
            validator,
            catalog,
            cluster,
            SparkOperators.CONVERTLETS,
            SqlToRelConverter.config().withTrimUnusedFields(false));
    RelRoot root = converter.convertQuery(validated, false, true);
    RelNode flat = converter.flattenTypes(root.rel, true);
    // Spark 4's ANSI rules: integer arithmetic that overflows is an error, never a wrapped value
    return root.withRel(
        HopBuildSide.apply(flat.accept(new ConvertToChecked(cluster.getRexBuilder()))));
  }

  /** Plans {@code logical} (from {@link #toRel}) into Calcite's code-generating convention. */
  static EnumerableRel toEnumerable(RelNode logical) {
    VolcanoPlanner planner = (VolcanoPlanner) logical.getCluster().getPlanner();
    planner.setRoot(
        planner.changeTraits(
            logical, logical.getTraitSet().replace(EnumerableConvention.INSTANCE)));
    return (EnumerableRel) planner.findBestExp();
  }

  /**
   * The rules that turn a stateless query (filters, projections, UNION ALL, joins with static
   * tables) into code.
   */
  static List<RelOptRule> statelessRules() {
    return List.of(
        FilterToCalcRule.Config.DEFAULT.toRule(),
        ProjectToCalcRule.Config.DEFAULT.toRule(),
        CalcMergeRule.Config.DEFAULT.toRule(),
        EnumerableRules.ENUMERABLE_CALC_RULE,
        EnumerableRules.ENUMERABLE_TABLE_SCAN_RULE,
        EnumerableRules.ENUMERABLE_UNION_RULE,
        EnumerableRules.ENUMERABLE_VALUES_RULE,
        // a stream joined with static tables: a hash join per batch, the WHERE's and ON's
        // conditions on one side applied to that side first (a filtered table is a smaller
        // lookup, and stream rows that cannot match are dropped before the join)
        EnumerableRules.ENUMERABLE_JOIN_RULE,
        CoreRules.FILTER_INTO_JOIN,
        CoreRules.JOIN_CONDITION_PUSH,
        // event-time windows: TUMBLE and HOP table functions
        EnumerableRules.ENUMERABLE_TABLE_FUNCTION_SCAN_RULE);
  }

  /** The stateless rules plus sorting: what runs over a streaming aggregation's groups. */
  static List<RelOptRule> aboveAggregateRules() {
    List<RelOptRule> rules = new java.util.ArrayList<>(statelessRules());
    rules.add(EnumerableRules.ENUMERABLE_SORT_RULE);
    rules.add(EnumerableRules.ENUMERABLE_LIMIT_RULE);
    rules.add(EnumerableRules.ENUMERABLE_LIMIT_SORT_RULE);
    return rules;
  }
}
