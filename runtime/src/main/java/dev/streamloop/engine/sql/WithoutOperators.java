package dev.streamloop.engine.sql;

import java.util.List;
import java.util.Set;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.validate.SqlNameMatcher;

/** An operator table without some of its functions, which the query's schema provides instead. */
final class WithoutOperators implements SqlOperatorTable {
  private final SqlOperatorTable table;
  private final Set<String> left;

  /**
   * @param left Upper-case names of the functions left out.
   */
  WithoutOperators(SqlOperatorTable table, Set<String> left) {
    this.table = table;
    this.left = left;
  }

  @Override
  public void lookupOperatorOverloads(
      SqlIdentifier name,
      SqlFunctionCategory category,
      SqlSyntax syntax,
      List<SqlOperator> operators,
      SqlNameMatcher matcher) {
    if (name.isSimple() && left.contains(name.getSimple().toUpperCase())) {
      return;
    }
    table.lookupOperatorOverloads(name, category, syntax, operators, matcher);
  }

  @Override
  public List<SqlOperator> getOperatorList() {
    return table.getOperatorList().stream()
        .filter(op -> !left.contains(op.getName().toUpperCase()))
        .toList();
  }
}
