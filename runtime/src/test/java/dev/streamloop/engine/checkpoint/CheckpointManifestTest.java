package dev.streamloop.engine.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamloop.engine.checkpoint.CheckpointManifest.SourceIdentity;
import dev.streamloop.engine.checkpoint.CheckpointManifest.StateOperator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointManifestTest {
  @TempDir Path dir;

  private static final SourceIdentity A = new SourceIdentity("a", "file", List.of());
  private static final SourceIdentity B = new SourceIdentity("b", "kafka", List.of("t1", "t2"));
  private static final SourceIdentity C = new SourceIdentity("c", "rate", List.of());

  @Test
  void aManifestIsWrittenReadAndReplaced() {
    FileCheckpoint checkpoint = FileCheckpoint.open(dir);
    assertThat(checkpoint.manifest()).isEmpty();
    CheckpointManifest manifest = new CheckpointManifest(List.of(A, B), "APPEND", List.of("out"));

    checkpoint.writeManifest(manifest);
    assertThat(FileCheckpoint.open(dir).manifest()).contains(manifest);

    CheckpointManifest next = new CheckpointManifest(List.of(A, B), "UPDATE", List.of("o1", "o2"));
    checkpoint.writeManifest(next);
    assertThat(FileCheckpoint.open(dir).manifest()).contains(next);
  }

  @Test
  void theStatefulOperatorsAreRecordedAndAVersion1ManifestReadsWithoutThem() throws Exception {
    CheckpointManifest manifest =
        new CheckpointManifest(
            List.of(A),
            "UPDATE",
            List.of("out"),
            List.of(new StateOperator(0, "aggregate", 128, "rocksdb")));
    FileCheckpoint.open(dir).writeManifest(manifest);

    assertThat(FileCheckpoint.open(dir).manifest()).contains(manifest);
    assertThat(FileCheckpoint.open(dir).manifest().orElseThrow().stateOperator(0))
        .contains(new StateOperator(0, "aggregate", 128, "rocksdb"));

    Files.writeString(
        dir.resolve("manifest"),
        "{\"version\":1,\"sources\":[{\"name\":\"a\",\"kind\":\"file\"}],\"sinks\":[]}\n");
    CheckpointManifest earlier = FileCheckpoint.open(dir).manifest().orElseThrow();
    assertThat(earlier.version()).isEqualTo(1);
    assertThat(earlier.stateOperators()).isEmpty();

    Files.writeString(
        dir.resolve("manifest"),
        "{\"version\":2,\"sources\":[{\"name\":\"a\",\"kind\":\"file\"}],"
            + "\"stateOperators\":[{\"id\":0,\"keyGroups\":0}]}\n");
    assertThatThrownBy(() -> FileCheckpoint.open(dir).manifest())
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("lists a stateful operator without an id or key groups");
  }

  @Test
  void aManifestOfANewerReleaseIsRefusedNamingBothVersions() throws Exception {
    Files.writeString(
        dir.resolve("manifest"),
        "{\"version\":3,\"sources\":[{\"name\":\"a\",\"kind\":\"file\"}],\"sinks\":[]}\n");

    assertThatThrownBy(() -> FileCheckpoint.open(dir).manifest())
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining(dir.resolve("manifest").toString())
        .hasMessageContaining("manifest version 3; this runner reads up to version 2");
  }

  @Test
  void aDamagedManifestIsNamed() throws Exception {
    Files.writeString(dir.resolve("manifest"), "{\"version\":1,\"sources\":[");

    assertThatThrownBy(() -> FileCheckpoint.open(dir).manifest())
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("corrupt JSON");
    Files.writeString(dir.resolve("manifest"), "{\"version\":1,\"sources\":[]}");
    assertThatThrownBy(() -> FileCheckpoint.open(dir).manifest())
        .hasMessageContaining("lists no sources");
  }

  @Test
  void sourcesAreMatchedByName() {
    CheckpointManifest manifest = new CheckpointManifest(List.of(A, B, C), "APPEND", List.of());

    assertThat(SourceSlots.arrange(dir, manifest, List.of(C, A, B))).containsExactly(1, 2, 0);
    assertThat(SourceSlots.arrange(dir, manifest, List.of(A, B, C))).containsExactly(0, 1, 2);
  }

  @Test
  void aNewAGoneOrAChangedSourceIsNamed() {
    CheckpointManifest manifest = new CheckpointManifest(List.of(A, B), "APPEND", List.of());
    SourceIdentity bAsFile = new SourceIdentity("b", "file", List.of());

    assertThatThrownBy(() -> SourceSlots.arrange(dir, manifest, List.of(A, C)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("source b is gone, source c is new");
    assertThatThrownBy(() -> SourceSlots.arrange(dir, manifest, List.of(bAsFile, A)))
        .hasMessageContaining("source b was a kafka source and is now a file source");
  }
}
