package dev.streamloop.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's settings (env STREAMLOOP_RUNNER_IMAGE, set by the install manifests). */
@ConfigMapping(prefix = "streamloop")
public interface OperatorSettings {
  /** The runner image for queries that do not set spec.runner.image. */
  @WithDefault("streamloop/runner:0.1.0")
  String runnerImage();
}
