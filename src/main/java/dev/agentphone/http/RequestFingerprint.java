package dev.agentphone.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What makes two requests under one {@code Idempotency-Key} the same request: the SHA-256 of the
 * method, the path with its query, and the body. A JSON body counts by its value, not its
 * spelling: keys are sorted and whitespace dropped, so a client that re-serializes its request
 * for a retry is still sending the same one. Any other body counts byte for byte.
 */
final class RequestFingerprint {
  private RequestFingerprint() {
  }

  static byte[] of(RoutingContext ctx) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    String query = ctx.request().query();
    String target = ctx.request().method().name() + " " + ctx.normalizedPath()
        + (query == null ? "" : "?" + query) + "\n";
    digest.update(target.getBytes(StandardCharsets.UTF_8));
    Object parsed = ctx.get(TextGuard.PARSED_BODY);
    if (parsed != null) {
      digest.update(Json.encodeToBuffer(canonical(parsed)).getBytes());
    } else {
      Buffer raw = ctx.body() == null ? null : ctx.body().buffer();
      if (raw != null) {
        digest.update(raw.getBytes());
      }
    }
    return digest.digest();
  }

  /** The value with every object's keys in order, as plain maps and lists. */
  private static Object canonical(Object value) {
    if (value instanceof JsonObject object) {
      Map<String, Object> sorted = new TreeMap<>();
      object.forEach(e -> sorted.put(e.getKey(), canonical(e.getValue())));
      return sorted;
    }
    if (value instanceof JsonArray array) {
      List<Object> items = new ArrayList<>(array.size());
      array.forEach(item -> items.add(canonical(item)));
      return items;
    }
    return value;
  }
}
