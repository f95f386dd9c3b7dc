package dev.streamloop.e2e.controlplane;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * StreamingQueries as untyped resources, for tests that send the API server documents the typed
 * model could not hold (invalid ones) or edit them as a user would.
 */
final class StreamingQueryResource {
  static final ResourceDefinitionContext DEFINITION =
      new ResourceDefinitionContext.Builder()
          .withGroup("streamloop.dev")
          .withVersion("v1alpha1")
          .withPlural("streamingqueries")
          .withKind("StreamingQuery")
          .withNamespaced(true)
          .build();

  private StreamingQueryResource() {}
}
