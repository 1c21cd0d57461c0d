package dev.agentphone.platform;

import io.vertx.ext.web.Router;

/**
 * One feature's HTTP routes. Paths under {@code /v1} are mounted behind API-key authentication;
 * a feature may also mount public paths (signup, provider webhooks, sandbox) on the root router.
 * Both are called once for every HTTP verticle instance, each with that instance's routers.
 */
public interface Routes {
  /** Routes that require an API key; {@code api} is mounted at {@code /v1}. */
  default void mountApi(Router api) {
  }

  /** Routes outside {@code /v1}, each responsible for its own authentication. */
  default void mountPublic(Router root) {
  }
}
