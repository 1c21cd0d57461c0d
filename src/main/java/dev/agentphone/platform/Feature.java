package dev.agentphone.platform;

import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;

/**
 * One feature of the engine as the start-up code sees it: the verticles to deploy (once per node,
 * in the order given) and the HTTP routes to mount. A feature is built with everything it needs
 * handed to its constructor, which says what it deploys and mounts; nothing in it reaches back
 * for the engine.
 */
public abstract class Feature {
  private final List<VerticleBase> verticles = new ArrayList<>();
  private final List<Routes> routes = new ArrayList<>();

  /** A feature of just these verticles and routes. */
  public static Feature of(List<? extends VerticleBase> verticles, List<? extends Routes> routes) {
    Feature feature = new Feature() {
    };
    verticles.forEach(feature::deploy);
    routes.forEach(feature::mount);
    return feature;
  }

  /** Deploys {@code verticle} before the HTTP edge, after the ones given before it. */
  protected final void deploy(VerticleBase verticle) {
    verticles.add(verticle);
  }

  /** Mounts {@code set} on every HTTP verticle instance, after the ones given before it. */
  protected final void mount(Routes set) {
    routes.add(set);
  }

  public final List<VerticleBase> verticles() {
    return List.copyOf(verticles);
  }

  public final List<Routes> routes() {
    return List.copyOf(routes);
  }
}
