package dev.streamloop.engine.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.BatchQuery;
import dev.streamloop.engine.Column;
import dev.streamloop.engine.ColumnKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spark's backquoted identifiers beside Calcite's double-quoted ones. */
class BackquotedIdentifiersTest {
  private static final TableDefinition CLICKS =
      new TableDefinition(
          "clicks",
          List.of(new Column("user", ColumnKind.STRING), new Column("value", ColumnKind.LONG)));

  @Test
  void backquotesBecomeDoubleQuotesOutsideLiteralsAndCommentsKeepingPositions() {
    String sql =
        "SELECT `user`, 'it''s `not` a name', \"value\" -- `comment`\n"
            + "FROM clicks /* `also` */ WHERE `value` > 1";
    String translated = BackquotedIdentifiers.toDoubleQuoted(sql);
    assertThat(translated)
        .isEqualTo(
            "SELECT \"user\", 'it''s `not` a name', \"value\" -- `comment`\n"
                + "FROM clicks /* `also` */ WHERE \"value\" > 1")
        .hasSameSizeAs(sql);
  }

  @Test
  void aSparkQueryWithBackquotesRunsAndErrorsPointIntoTheTextAsWritten() throws Exception {
    BatchQuery q =
        QueryCompiler.compile(
            "SELECT `user` AS u, `value` * 2 AS v FROM clicks WHERE `value` > 1", List.of(CLICKS));
    List<List<Object>> out = new ArrayList<>();
    q.execute(
            Map.of("clicks", List.<Object[]>of(new Object[] {"ann", 1L}, new Object[] {"bob", 5L})),
            0)
        .forEach(r -> out.add(List.of(r)));
    assertThat(out).containsExactly(List.of("bob", 10L));

    assertThatThrownBy(() -> QueryCompiler.compile("SELECT `usr` FROM clicks", List.of(CLICKS)))
        .hasMessageContaining("line 1, column 8")
        .hasMessageContaining("usr");
  }
}
