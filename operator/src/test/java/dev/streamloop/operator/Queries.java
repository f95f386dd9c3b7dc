package dev.streamloop.operator;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** StreamingQuery objects for tests, as the API server would hold them (defaults applied). */
public final class Queries {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private Queries() {}

  public static final String CONTINUOUS =
      """
      apiVersion: streamloop.dev/v1alpha1
      kind: StreamingQuery
      metadata: {name: clicks, namespace: team-a, generation: 3, uid: 5f7c2a4e-1111-4222-8333-944455556666}
      spec:
        sources:
          - name: events
            rate: {rowsPerSecond: 10}
        query: SELECT "value" FROM events
        sinks:
          - name: out
            console: {numRows: 20, truncate: true}
        outputMode: append
        trigger: {processingTime: 5s}
        parallelism: 2
        checkpoint: {size: 2Gi, retainBatches: 100, deletionPolicy: Retain, resetNonce: 0}
        suspend: false
        restartNonce: 0
        restartPolicy: {type: OnFailure, maxRetries: 10, initialBackoff: 10s, maxBackoff: 5m}
        badRecords: {policy: Fail}
      """;

  public static StreamingQuery continuous() {
    return YAML.unmarshal(CONTINUOUS, StreamingQuery.class);
  }

  public static StreamingQuery availableNow() {
    return YAML.unmarshal(
        CONTINUOUS.replace("trigger: {processingTime: 5s}", "trigger: {availableNow: {}}"),
        StreamingQuery.class);
  }
}
