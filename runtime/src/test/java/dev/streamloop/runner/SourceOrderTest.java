package dev.streamloop.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Sources are matched to the checkpoint by name, not by their position in the spec: reordering them
 * between runs read 200 rows twice (600 rows out for 400 in) before the checkpoint had a manifest.
 */
class SourceOrderTest extends RunnerCliFixture {
  private Path twoSources(String first, String second) throws Exception {
    return query(
        "two",
        """
        sources:
        %s
        %s
        query: "SELECT id FROM %s UNION ALL SELECT id FROM %s"
        sinks:
          - name: out
            file: {path: /data/out}
        trigger: {availableNow: {}}
        """
                .formatted(source(first), source(second), first, second)
            + RunnerProcess.DATA_VOLUME);
  }

  private String source(String name) throws Exception {
    Files.createDirectories(dir.resolve("in").resolve(name));
    return """
          - name: %s
            file: {path: /data/in/%s}
            schema: [{name: id, type: long}]\
        """
        .formatted(name, name);
  }

  /** 200 rows into in/NAME/FILE.json, ids from {@code first}. */
  private void rows(String name, String file, int first) throws Exception {
    Files.createDirectories(dir.resolve("in").resolve(name));
    Files.writeString(
        dir.resolve("in").resolve(name).resolve(file + ".json"),
        IntStream.range(first, first + 200)
            .mapToObj(i -> "{\"id\":" + i + "}\n")
            .collect(Collectors.joining()));
  }

  private void runAndExpect(Path query, int exitCode) throws Exception {
    RunnerProcess runner = runWithTerminationLog(query);
    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(exitCode);
  }

  private List<String> outputIds() throws Exception {
    return committedOutput(dir.resolve("out")).lines().toList();
  }

  @Test
  void swappingTwoSourcesKeepsEachOnesOffsets() throws Exception {
    rows("a", "1", 0);
    rows("b", "1", 1000);
    runAndExpect(twoSources("a", "b"), ExitCodes.OK);
    rows("a", "2", 200);
    rows("b", "2", 1200);

    runAndExpect(twoSources("b", "a"), ExitCodes.OK);

    assertThat(outputIds()).hasSize(800).doesNotHaveDuplicates();
    assertThat(Files.readString(dir.resolve("cp/manifest")))
        .startsWith("{\"version\":2,\"sources\":[{\"name\":\"a\",\"kind\":\"file\"}")
        .contains("{\"name\":\"b\",\"kind\":\"file\"}");
  }

  @Test
  void aCheckpointWithoutAManifestKeepsTheOrderOfTheSpecThatWroteIt() throws Exception {
    rows("a", "1", 0);
    rows("b", "1", 1000);
    runAndExpect(twoSources("a", "b"), ExitCodes.OK);
    // as the release before manifests left it: the same layout without the file
    Files.delete(dir.resolve("cp/manifest"));
    rows("a", "2", 200);
    rows("b", "2", 1200);

    runAndExpect(twoSources("a", "b"), ExitCodes.OK);

    assertThat(outputIds()).hasSize(800).doesNotHaveDuplicates();
    assertThat(dir.resolve("cp/manifest")).content().contains("\"name\":\"a\"");
  }

  @Test
  void aNewOrMissingSourceIsRefusedNamingBoth() throws Exception {
    rows("a", "1", 0);
    rows("b", "1", 1000);
    runAndExpect(twoSources("a", "b"), ExitCodes.OK);
    RunnerProcess runner = runWithTerminationLog(twoSources("a", "c"));

    assertThat(runner.exitCode(60)).as(runner.stderr()).isEqualTo(ExitCodes.INVALID);
    assertThat(runner.stderr())
        .contains("checkpoint file cp/manifest: ")
        .contains("source b is gone, source c is new")
        .contains("spec.checkpoint.resetNonce");
    assertThat(outputIds()).hasSize(400);
  }
}
