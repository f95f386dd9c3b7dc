package dev.streamloop.differential;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner against Apache Spark: every case of cases.yaml over the same files split into the same
 * batches (one file per batch, available-now), each batch's rows equal, or both engines refusing
 * the query with the same rule, or a difference the case names.
 */
class SparkDifferentialTest {
  @TempDir static Path dir;

  private static List<DiffCase> cases;
  private static Map<String, TestStreams.Stream> streams;

  @BeforeAll
  static void runSpark() throws Exception {
    cases =
        new YAMLMapper()
            .readValue(
                SparkDifferentialTest.class.getResource("/cases.yaml"),
                new TypeReference<List<DiffCase>>() {});
    Set<String> names = new HashSet<>();
    cases.forEach(c -> assertThat(names.add(c.name())).as("case names are unique").isTrue());
    streams = new LinkedHashMap<>();
    TestStreams.write(dir.resolve("in")).forEach(s -> streams.put(s.name(), s));
    SparkSide.runAll(cases, streams, dir.resolve("spark"), Duration.ofMinutes(20));
  }

  @TestFactory
  Stream<DynamicTest> eachCaseGivesSparksRows() {
    return cases.stream()
        .map(c -> DynamicTest.dynamicTest(c.name() + " (" + c.covers() + ")", () -> check(c)));
  }

  @Test
  void everyCheckedDifferenceIsListedInTheDocs() throws Exception {
    String page = Files.readString(Path.of("..", "docs", "spark-differences.md"));
    for (DiffCase c : cases) {
      if (c.differs() != null) {
        assertThat(page)
            .as("docs/spark-differences.md lists " + c.name())
            .contains("`" + c.name() + "`");
      }
    }
  }

  private static void check(DiffCase c) throws Exception {
    Outcome spark = SparkSide.outcome(c, dir.resolve("spark"));
    Outcome runner = RunnerSide.run(c, streams, dir.resolve("runner").resolve(c.name()));
    if (c.refused() != null) {
      assertThat(spark.error()).as("Spark's error").isNotNull().contains(c.refused().spark());
      assertThat(runner.error())
          .as("the runner's error")
          .isNotNull()
          .contains(c.refused().runner());
      return;
    }
    if (c.differs() != null) {
      assertThat(runner)
          .as("listed as differing (" + c.differs() + ") but now equal to Spark: remove 'differs'")
          .isNotEqualTo(spark);
      return;
    }
    assertThat(spark.error()).as("Spark refused the case").isNull();
    assertThat(runner.error()).as("the runner refused the case").isNull();
    assertThat(runner.columns()).as("column names").isEqualTo(spark.columns());
    assertThat(spark.batches()).as("Spark wrote rows").isNotEmpty();
    assertThat(runner.batches())
        .as("each batch's rows (batch id -> rows), runner vs Spark; " + runner.difference(spark))
        .isEqualTo(spark.batches());
  }
}
