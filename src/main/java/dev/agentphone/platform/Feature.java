package dev.agentphone.platform;

import io.vertx.core.VerticleBase;

import java.util.List;

/**
 * One feature of the engine as the start-up code sees it: the verticles to deploy (once per node,
 * in the order given) and the HTTP routes to mount. A feature is built with everything it needs
 * handed to its constructor; nothing in it reaches back for the engine.
 */
public interface Feature {
  /** Deployed before the HTTP edge, in order, one instance each. */
  default List<VerticleBase> verticles() {
    return List.of();
  }

  /** Mounted on every HTTP verticle instance, in order. */
  default List<Routes> routes() {
    return List.of();
  }
}
