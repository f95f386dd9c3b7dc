package dev.streamloop.operator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's settings (env STREAMLOOP_*, set by the install manifests). */
@ConfigMapping(prefix = "streamloop")
public interface OperatorSettings {
  /** The runner image for queries that do not set spec.runner.image. */
  @WithDefault("streamloop/runner:0.1.0")
  String runnerImage();

  /** Serve the read-only web view on the loopback interface (env STREAMLOOP_WEB_VIEW). */
  @WithDefault("false")
  boolean webView();

  /** The web view's port (env STREAMLOOP_WEB_VIEW_PORT). */
  @WithDefault("8090")
  int webViewPort();

  /** The namespaces the operator watches, empty for all (env STREAMLOOP_WATCH_NAMESPACES). */
  java.util.Optional<java.util.List<String>> watchNamespaces();
}
