package dev.agentphone.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every operation of the contract the engine serves ({@code /openapi.json} on its classpath),
 * read at test time so operations added later are covered without touching the tests.
 */
final class OpenApiOperations {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  /** A path or query parameter with its (resolved) schema. */
  record Param(String in, String name, JsonObject schema, boolean required) {
  }

  /** One operation; {@code body} is the resolved request-body schema, or null. */
  record Operation(String method, String path, List<Param> params, JsonObject body,
      boolean secured) {
    List<Param> in(String where) {
      return params.stream().filter(p -> p.in().equals(where)).toList();
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  private final JsonObject contract;

  private OpenApiOperations(JsonObject contract) {
    this.contract = contract;
  }

  static List<Operation> load() {
    try (InputStream in = OpenApiOperations.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is not on the classpath");
      }
      return new OpenApiOperations(new JsonObject(new String(in.readAllBytes(),
          StandardCharsets.UTF_8))).operations();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!METHODS.contains(method)) {
          continue;
        }
        JsonObject op = item.getJsonObject(method);
        List<Param> params = new ArrayList<>();
        for (Object p : op.getJsonArray("parameters", new JsonArray())) {
          JsonObject param = resolve((JsonObject) p);
          params.add(new Param(param.getString("in"), param.getString("name"),
              resolve(param.getJsonObject("schema", new JsonObject())),
              param.getBoolean("required", false)));
        }
        JsonObject body = null;
        JsonObject content = op.getJsonObject("requestBody", new JsonObject())
            .getJsonObject("content");
        if (content != null && content.containsKey("application/json")) {
          body = resolve(content.getJsonObject("application/json").getJsonObject("schema"));
        }
        boolean secured = op.containsKey("security") ? !op.getJsonArray("security").isEmpty()
            : path.startsWith("/v1/");
        out.add(new Operation(method.toUpperCase(Locale.ROOT), path, params, body, secured));
      }
    }
    return out;
  }

  /** Follows {@code $ref} (local ones only) and resolves nested schemas the generator reads. */
  JsonObject resolve(JsonObject schema) {
    JsonObject current = schema;
    for (int hops = 0; current != null && current.containsKey("$ref") && hops < 20; hops++) {
      String ref = current.getString("$ref");
      JsonObject target = contract;
      for (String part : ref.substring(2).split("/")) {
        target = target.getJsonObject(part);
      }
      current = target;
    }
    if (current == null) {
      return new JsonObject();
    }
    JsonObject copy = current.copy();
    JsonObject properties = copy.getJsonObject("properties");
    if (properties != null) {
      for (String name : properties.fieldNames()) {
        properties.put(name, resolve(properties.getJsonObject(name)));
      }
    }
    if (copy.getValue("items") instanceof JsonObject items) {
      copy.put("items", resolve(items));
    }
    for (String alternatives : List.of("anyOf", "oneOf", "allOf")) {
      JsonArray options = copy.getJsonArray(alternatives);
      if (options != null) {
        JsonArray resolved = new JsonArray();
        options.forEach(o -> resolved.add(resolve((JsonObject) o)));
        copy.put(alternatives, resolved);
      }
    }
    return copy;
  }
}
