package dev.agentphone.http;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.List;

/**
 * The mounted route paths ({@code /v1/agents/:agent_id}), so input checked before routing can
 * still be reported under its parameter's name, as {@code ["path", "agent_id"]}.
 */
final class PathTemplates {
  private final List<String[]> templates = new ArrayList<>();

  /** Adds the exact-path routes of {@code router}, mounted at {@code prefix} ("" for root). */
  PathTemplates add(Router router, String prefix) {
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path != null && route.isExactPath() && path.contains("/:")) {
        templates.add((prefix + path).split("/", -1));
      }
    }
    return this;
  }

  /** The parameter's name at segment {@code index} of {@code segments}; null when none fits. */
  String name(String[] segments, int index) {
    for (String[] template : templates) {
      if (template.length != segments.length || !template[index].startsWith(":")) {
        continue;
      }
      boolean fits = true;
      for (int i = 0; i < template.length && fits; i++) {
        fits = i == index || template[i].startsWith(":") || template[i].equals(segments[i]);
      }
      if (fits) {
        return template[index].substring(1);
      }
    }
    return null;
  }
}
