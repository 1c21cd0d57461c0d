package dev.agentphone.sdk;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The engine's contract ({@code /openapi.json} on the classpath), read the way a client reads it. */
final class Contract {
  final JsonObject doc;

  Contract(JsonObject doc) {
    this.doc = doc;
  }

  static JsonObject served() {
    try (InputStream in = Contract.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is not on the classpath");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operation, or null. */
  JsonObject operation(String method, String path) {
    JsonObject item = doc.getJsonObject("paths").getJsonObject(path);
    return item == null ? null : item.getJsonObject(method.toLowerCase(Locale.ROOT));
  }

  /** "GET /v1/agents" for every operation. */
  List<String> operations() {
    List<String> out = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        out.add(method.toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    return out;
  }

  /** The operation's parameter {@code name} in {@code in}, resolved, or null. */
  JsonObject parameter(JsonObject operation, String in, String name) {
    for (Object p : operation.getJsonArray("parameters", new JsonArray())) {
      JsonObject param = resolve((JsonObject) p);
      if (in.equals(param.getString("in")) && name.equalsIgnoreCase(param.getString("name"))) {
        return param;
      }
    }
    return null;
  }

  /** Follows local {@code $ref}s; null when one does not resolve. */
  JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    for (int hops = 0; current != null && current.containsKey("$ref"); hops++) {
      if (hops > 20) {
        return null;
      }
      current = pointer(current.getString("$ref"));
    }
    return current;
  }

  /** The node a local JSON pointer names ({@code #/components/schemas/X}), or null. */
  JsonObject pointer(String ref) {
    if (!ref.startsWith("#/")) {
      return null;
    }
    Object target = doc;
    for (String part : ref.substring(2).split("/")) {
      String key = part.replace("~1", "/").replace("~0", "~");
      if (!(target instanceof JsonObject object) || !object.containsKey(key)) {
        return null;
      }
      target = object.getValue(key);
    }
    return target instanceof JsonObject object ? object : null;
  }

  /** The alternatives of a schema other than null, resolved (anyOf/oneOf flattened). */
  List<JsonObject> alternatives(JsonObject schema) {
    List<JsonObject> out = new ArrayList<>();
    JsonObject resolved = resolve(schema);
    if (resolved == null) {
      return out;
    }
    JsonArray options = resolved.getJsonArray("anyOf", resolved.getJsonArray("oneOf"));
    if (options == null) {
      if (!"null".equals(resolved.getValue("type"))) {
        out.add(resolved);
      }
      return out;
    }
    for (Object option : options) {
      out.addAll(alternatives((JsonObject) option));
    }
    return out;
  }

  /** Whether the schema admits JSON null. */
  boolean allowsNull(JsonObject schema) {
    JsonObject resolved = resolve(schema);
    if (resolved == null) {
      return false;
    }
    Object type = resolved.getValue("type");
    if ("null".equals(type) || type instanceof JsonArray types && types.contains("null")) {
      return true;
    }
    JsonArray options = resolved.getJsonArray("anyOf", resolved.getJsonArray("oneOf"));
    if (options != null) {
      for (Object option : options) {
        if (allowsNull((JsonObject) option)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The schema of the operation's success answer in {@code mediaType}, or null. */
  JsonObject successSchema(JsonObject operation, String mediaType) {
    JsonObject responses = operation.getJsonObject("responses", new JsonObject());
    for (String status : responses.fieldNames()) {
      if (status.startsWith("2")) {
        JsonObject content = resolve(responses.getJsonObject(status)).getJsonObject("content");
        if (content != null && content.containsKey(mediaType)) {
          return content.getJsonObject(mediaType).getJsonObject("schema");
        }
      }
    }
    return null;
  }
}
