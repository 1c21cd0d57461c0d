package dev.agentphone.http;

import dev.agentphone.platform.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, for every route and before any of them runs, text that PostgreSQL cannot store or that
 * is not valid Unicode: a NUL or a lone surrogate in any path segment, query name or value, or any
 * JSON string or key of the body at any depth; invalid UTF-8 or a malformed percent-escape in
 * the URL; invalid UTF-8 in the body. The answer is one 422 listing every field, in the shape of
 * {@link Validator}'s. Nothing is repaired: an API client learns what it sent wrong.
 *
 * <p>Provider callbacks under {@code /webhooks/} are signed over the exact bytes or parameters
 * the provider sent, and refusing one would drop a real message after the provider's retries;
 * their bodies are left to their routes, which keep the text with {@link StorableText#replaced}.
 * Their paths and queries are ours and are checked like any other.
 *
 * <p>A body that parses as JSON is kept on the context, so {@link Validator#body} reads the same
 * strictly decoded value without parsing twice.
 */
public final class TextGuard implements Handler<RoutingContext> {
  static final String PARSED_BODY = "agentphone.parsedBody";
  private static final String PROVIDER_EDGES = "/webhooks/";

  private final PathTemplates templates;

  TextGuard(PathTemplates templates) {
    this.templates = templates;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonArray errors = new JsonArray();
    String path = ctx.request().path();
    checkPath(path, errors);
    checkQuery(ctx.request().query(), errors);
    if (!path.startsWith(PROVIDER_EDGES)) {
      checkBody(ctx, errors);
    }
    if (!errors.isEmpty()) {
      Responses.error(ctx, new ApiError(422, errors));
      return;
    }
    ctx.next();
  }

  private void checkPath(String path, JsonArray errors) {
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String problem = null;
      String type = null;
      try {
        String decoded = StrictDecoding.urlComponent(segments[i], false);
        type = StorableText.problem(decoded);
        problem = type == null ? null : StorableText.message(type);
      } catch (StrictDecoding.Failure f) {
        type = f.type;
        problem = f.getMessage();
      }
      if (problem != null) {
        String name = templates.name(segments, i);
        JsonArray loc = new JsonArray().add("path");
        if (name != null) {
          loc.add(name);
        }
        errors.add(JsonText.error(loc, type, problem));
      }
    }
  }

  private static void checkQuery(String query, JsonArray errors) {
    if (query == null || query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      String rawName = equals < 0 ? pair : pair.substring(0, equals);
      String name;
      try {
        name = StrictDecoding.urlComponent(rawName, true);
        String type = StorableText.problem(name);
        if (type != null) {
          errors.add(JsonText.error(queryLoc(StorableText.printable(name)), type,
              StorableText.message(type)));
          continue;
        }
      } catch (StrictDecoding.Failure f) {
        errors.add(JsonText.error(queryLoc(StorableText.printable(rawName)), f.type,
            f.getMessage()));
        continue;
      }
      if (equals < 0) {
        continue;
      }
      try {
        String value = StrictDecoding.urlComponent(pair.substring(equals + 1), true);
        String type = StorableText.problem(value);
        if (type != null) {
          errors.add(JsonText.error(queryLoc(name), type, StorableText.message(type)));
        }
      } catch (StrictDecoding.Failure f) {
        errors.add(JsonText.error(queryLoc(name), f.type, f.getMessage()));
      }
    }
  }

  private static JsonArray queryLoc(String name) {
    return new JsonArray().add("query").add(name);
  }

  /**
   * The body as strict UTF-8, then, when it is JSON, every string in it. A body that is not JSON
   * is left for the route to refuse in its own words (a JSON decode error, say).
   */
  private static void checkBody(RoutingContext ctx, JsonArray errors) {
    Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
    if (raw == null || raw.length() == 0) {
      return;
    }
    String text;
    try {
      text = StrictDecoding.utf8(raw.getBytes());
    } catch (StrictDecoding.Failure f) {
      errors.add(JsonText.error(new JsonArray().add("body"), f.type, f.getMessage()));
      return;
    }
    Object parsed;
    try {
      parsed = Json.decodeValue(text);
    } catch (RuntimeException notJson) {
      return;
    }
    JsonText.check(parsed, errors);
    if (parsed != null) {
      ctx.put(PARSED_BODY, parsed);
    }
  }
}
