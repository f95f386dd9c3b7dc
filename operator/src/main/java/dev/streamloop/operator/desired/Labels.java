package dev.streamloop.operator.desired;

import dev.streamloop.api.v1alpha1.StreamingQuery;
import java.util.LinkedHashMap;
import java.util.Map;

/** The labels and annotations every child carries (docs/architecture.md, operator rules). */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String COMPONENT = "app.kubernetes.io/component";

  /** The spec generation a child was built from. */
  public static final String GENERATION = "streamloop.dev/generation";

  /** The available-now run a Job belongs to. */
  public static final String RUN = "streamloop.dev/run";

  public static final String APP = "streamloop";
  public static final String OPERATOR = "streamloop-operator";

  private Labels() {}

  /**
   * The labels that select a query's children of one component: equality only, because the test API
   * server ignores set-based selectors (docs/architecture.md, operator rules).
   */
  public static Map<String, String> selector(StreamingQuery query, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP);
    labels.put(INSTANCE, query.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }

  /** The selector's labels plus who manages the child and the generation it was built from. */
  public static Map<String, String> of(StreamingQuery query, String component) {
    Map<String, String> labels = selector(query, component);
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(GENERATION, String.valueOf(query.getMetadata().getGeneration()));
    return labels;
  }
}
