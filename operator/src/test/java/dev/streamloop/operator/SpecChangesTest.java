package dev.streamloop.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

class SpecChangesTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @Test
  void aChangedQueryOrResourcesRestartFromTheCheckpoint() {
    StreamingQuery edited =
        edit("query: SELECT \"value\" FROM events", "query: SELECT \"value\" * 2 AS v FROM events");
    assertThat(SpecChanges.incompatibilities(Queries.continuous(), edited)).isEmpty();
  }

  @Test
  void onlyAChangeOfWhatTheRunnerValidatesNeedsAValidationJob() {
    StreamingQuery running = Queries.continuous();
    assertThat(SpecChanges.sameQuery(running, edit("suspend: false", "suspend: true"))).isTrue();
    assertThat(SpecChanges.sameQuery(running, edit("restartNonce: 0", "restartNonce: 4"))).isTrue();
    assertThat(SpecChanges.sameQuery(running, edit("parallelism: 2", "parallelism: 3"))).isTrue();
    assertThat(SpecChanges.sameQuery(running, edit("FROM events", "FROM events WHERE 1 = 1")))
        .isFalse();
    assertThat(SpecChanges.sameQuery(running, edit("numRows: 20", "numRows: 5"))).isFalse();
    assertThat(SpecChanges.sameQuery(running, edit("processingTime: 5s", "processingTime: 1s")))
        .isFalse();
  }

  @Test
  void aDifferentSetOfSourcesIsRefusedUnlessTheCheckpointIsReset() {
    StreamingQuery renamed = edit("- name: events", "- name: clicks");
    assertThat(SpecChanges.incompatibilities(Queries.continuous(), renamed))
        .singleElement()
        .asString()
        .contains("[events] to [clicks]", "spec.checkpoint.resetNonce");
    StreamingQuery reset = edit(renamed, "resetNonce: 0", "resetNonce: 1");
    assertThat(SpecChanges.incompatibilities(Queries.continuous(), reset)).isEmpty();
  }

  @Test
  void reorderedSourcesKeepTheCheckpointButAChangedKindIsRefused() {
    String two =
        Queries.CONTINUOUS.replace(
            "  sources:\n",
            "  sources:\n    - name: files\n      file: {path: /data/in}\n"
                + "      schema: [{name: value, type: string}]\n");
    StreamingQuery running = YAML.unmarshal(two, StreamingQuery.class);
    String swapped =
        Queries.CONTINUOUS.replace(
            "rate: {rowsPerSecond: 10}\n",
            "rate: {rowsPerSecond: 10}\n    - name: files\n      file: {path: /data/in}\n"
                + "      schema: [{name: value, type: string}]\n");
    assertThat(running.getSpec().sources()).hasSize(2);
    assertThat(
            SpecChanges.incompatibilities(running, YAML.unmarshal(swapped, StreamingQuery.class)))
        .isEmpty();
    StreamingQuery ratesNow =
        YAML.unmarshal(
            two.replace(
                "file: {path: /data/in}\n      schema: [{name: value, type: string}]",
                "rate: {rowsPerSecond: 1}"),
            StreamingQuery.class);
    assertThat(SpecChanges.incompatibilities(running, ratesNow))
        .singleElement()
        .asString()
        .contains("source files was a file source and is now a rate source");
  }

  @Test
  void aStaticTableMayComeAndGoAndDoesNotPinTheParallelism() {
    String withTableYaml =
        Queries.CONTINUOUS.replace(
            "rate: {rowsPerSecond: 10}\n",
            "rate: {rowsPerSecond: 10}\n    - name: customers\n"
                + "      file: {path: /data/customers}\n      static: {}\n"
                + "      schema: [{name: id, type: long}]\n");
    StreamingQuery withTable = YAML.unmarshal(withTableYaml, StreamingQuery.class);
    assertThat(withTable.getSpec().sources().get(1).isStatic()).isTrue();
    assertThat(SpecChanges.incompatibilities(Queries.continuous(), withTable)).isEmpty();
    assertThat(SpecChanges.incompatibilities(withTable, Queries.continuous())).isEmpty();
    StreamingQuery scaled =
        YAML.unmarshal(
            withTableYaml.replace("parallelism: 2", "parallelism: 3"), StreamingQuery.class);
    assertThat(SpecChanges.incompatibilities(withTable, scaled)).isEmpty();
    StreamingQuery streamNow =
        YAML.unmarshal(withTableYaml.replace("      static: {}\n", ""), StreamingQuery.class);
    assertThat(SpecChanges.incompatibilities(withTable, streamNow))
        .singleElement()
        .asString()
        .contains("[events] to [customers, events]");
  }

  @Test
  void parallelismOfPartitionedSourcesIsKeptButARateSourceMayScale() {
    assertThat(
            SpecChanges.incompatibilities(
                Queries.continuous(), edit("parallelism: 2", "parallelism: 3")))
        .isEmpty();
    String files =
        Queries.CONTINUOUS.replace(
            "rate: {rowsPerSecond: 10}",
            "file: {path: /data/in}\n      schema: [{name: value, type: string}]");
    StreamingQuery before = YAML.unmarshal(files, StreamingQuery.class);
    StreamingQuery after =
        YAML.unmarshal(files.replace("parallelism: 2", "parallelism: 3"), StreamingQuery.class);
    assertThat(SpecChanges.incompatibilities(before, after))
        .singleElement()
        .asString()
        .contains("spec.parallelism", "keep 2");
  }

  @Test
  void aScheduleTheCrdPatternLetsThroughIsReportedAsInvalidNotThrown() {
    String scheduled = "trigger: {availableNow: {schedule: \"61 * * * *\"}}";
    StreamingQuery badMinute = edit("trigger: {processingTime: 5s}", scheduled);
    assertThat(StreamingQueryReconciler.validate(badMinute))
        .singleElement()
        .asString()
        .startsWith("spec.trigger.availableNow.schedule: \"61 * * * *\" is not a valid cron");
    StreamingQuery badZone =
        edit(
            "trigger: {processingTime: 5s}",
            "trigger: {availableNow: {schedule: \"0 * * * *\", timeZone: Mars/Olympus}}");
    assertThat(StreamingQueryReconciler.validate(badZone))
        .singleElement()
        .asString()
        .contains("spec.trigger.availableNow.timeZone", "Mars/Olympus");
    assertThat(StreamingQueryReconciler.validate(Queries.continuous())).isEmpty();
  }

  private static StreamingQuery edit(String from, String to) {
    return YAML.unmarshal(Queries.CONTINUOUS.replace(from, to), StreamingQuery.class);
  }

  private static StreamingQuery edit(StreamingQuery query, String from, String to) {
    return YAML.unmarshal(YAML.asYaml(query).replace(from, to), StreamingQuery.class);
  }
}
