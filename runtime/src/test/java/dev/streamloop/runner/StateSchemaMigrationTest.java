package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint of an aggregation written by the release before the JSON state schema (its {@code
 * _schema} holds the planner's description): kept and migrated when the aggregation is the same,
 * refused with the old description when it changed.
 */
class StateSchemaMigrationTest extends RunnerCliFixture {
  private static final Path RESOURCES = Path.of("src/test/resources/earlier-releases");
  private static final String OLD_SCHEMA =
      "groups and functions RecordType(VARCHAR country, BIGINT NOT NULL n, BIGINT total)";

  private Path oldCheckpointAndQuery() throws Exception {
    Path from = RESOURCES.resolve("aggregation-before-json-schema");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path to = dir.resolve("cp").resolve(from.relativize(file).toString());
        Files.createDirectories(to.getParent());
        Files.copy(file, to);
      }
    }
    Files.createDirectories(dir.resolve("in"));
    // new input only: the old batch's file was read where that release ran
    Files.writeString(dir.resolve("in/b.json"), "{\"id\":5,\"country\":\"de\"}\n");
    Path query = dir.resolve("q.yaml");
    Files.copy(RESOURCES.resolve("aggregation-before-json-schema.yaml"), query);
    return query;
  }

  private RunnerProcess run(Path query) throws Exception {
    return RunnerProcess.start(dir, "run", "--query", query.toString(), "--checkpoint", "cp");
  }

  @Test
  void theSameAggregationKeepsItsStateAndTheSchemaIsRewrittenInOurTypes() throws Exception {
    Path query = oldCheckpointAndQuery();
    assertThat(dir.resolve("cp/state/0/_schema")).content().startsWith(OLD_SCHEMA);

    RunnerProcess run = run(query);

    assertThat(run.exitCode(60)).as(run.stderr()).isZero();
    // de had 1 row with id 1: the kept state plus the new row
    assertThat(run.stdout()).containsPattern("\\|\\s*de\\|2\\|\\s*6\\|");
    assertThat(dir.resolve("cp/state/0/_schema"))
        .content()
        .startsWith("{")
        .contains("\"name\" : \"country\"", "\"type\" : \"string\"", "\"function\" : \"COUNT\"")
        .doesNotContain("RecordType");
  }

  @Test
  void aChangedAggregationIsRefusedNamingTheOldDescription() throws Exception {
    Path query = oldCheckpointAndQuery();
    Files.writeString(query, Files.readString(query).replace("SUM(id)", "MAX(id)"));

    RunnerProcess run = run(query);

    assertThat(run.exitCode(60)).isEqualTo(ExitCodes.INVALID);
    assertThat(run.stderr()).contains("was kept for another aggregation", OLD_SCHEMA);
    assertThat(dir.resolve("cp/state/0/_schema")).content().startsWith(OLD_SCHEMA);
  }
}
