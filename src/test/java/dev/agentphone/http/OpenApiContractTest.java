package dev.agentphone.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract ({@code openapi.json}) is a well-formed OpenAPI 3.1 document that tools and
 * clients can rely on: every {@code $ref} resolves, every path parameter is declared, every
 * operation is unique, tagged and answers with a described success and JSON errors that carry
 * {@code detail}, every {@code /v1} operation names its key and the {@code X-Sub-Account-Id}
 * header, and every schema uses only JSON Schema's words, with defaults its enums allow. The
 * README's API table lists exactly its operations.
 */
class OpenApiContractTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch",
      "head", "options", "trace");
  private static final Set<String> TYPES = Set.of("string", "number", "integer", "boolean",
      "array", "object", "null");
  private static final Set<String> SCHEMA_WORDS = Set.of("$ref", "type", "properties",
      "required", "items", "enum", "const", "default", "description", "title", "format", "anyOf",
      "oneOf", "allOf", "not", "if", "then", "else", "additionalProperties", "minimum", "maximum",
      "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems",
      "maxItems", "uniqueItems", "example", "examples", "contentMediaType", "deprecated",
      "readOnly", "writeOnly");
  private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");
  private static final String RECORDING = "GET /v1/calls/{call_id}/recording";

  private final JsonObject contract = served();
  private final List<String> problems = new ArrayList<>();

  @Test
  void isAnOpenApi31DocumentWhoseReferencesAllResolve() {
    assertThat(contract.getString("openapi")).isEqualTo("3.1.0");
    assertThat(contract.getJsonObject("info").getString("title")).isNotBlank();
    assertThat(contract.getJsonObject("info").getString("version")).isNotBlank();
    assertThat(contract.getJsonObject("components").getJsonObject("securitySchemes")
        .containsKey("HTTPBearer")).isTrue();
    List<String> refs = new ArrayList<>();
    collectRefs(contract, refs);
    assertThat(refs).hasSizeGreaterThan(100);
    for (String ref : refs) {
      if (pointer(ref) == null) {
        problems.add("$ref " + ref + " does not resolve");
      }
    }
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void everyOperationIsUniqueDeclaresItsParametersAndDescribesItsAnswers() {
    Set<String> operationIds = new HashSet<>();
    Set<String> tags = new HashSet<>();
    contract.getJsonArray("tags").forEach(t -> tags.add(((JsonObject) t).getString("name")));
    operations().forEach((route, op) -> {
      String path = route.substring(route.indexOf(' ') + 1);
      check(operationIds.add(op.getString("operationId", "")), route + ": operationId missing "
          + "or used twice");
      check(op.getString("summary") != null, route + ": no summary");
      check(op.getJsonArray("tags", new JsonArray()).size() == 1
          && tags.contains(op.getJsonArray("tags").getString(0)), route + ": not in one known tag");
      Set<String> declared = new HashSet<>();
      Set<String> pathParams = new TreeSet<>();
      for (Object p : op.getJsonArray("parameters", new JsonArray())) {
        JsonObject param = resolve((JsonObject) p);
        String in = param.getString("in", "");
        check(Set.of("path", "query", "header", "cookie").contains(in), route + ": parameter "
            + param.getString("name") + " is in '" + in + "'");
        check(declared.add(in + " " + param.getString("name").toLowerCase(Locale.ROOT)), route
            + ": parameter " + param.getString("name") + " declared twice");
        check(param.getJsonObject("schema") != null, route + ": parameter "
            + param.getString("name") + " has no schema");
        if (in.equals("path")) {
          check(param.getBoolean("required", false), route + ": path parameter "
              + param.getString("name") + " is not required");
          pathParams.add(param.getString("name"));
        }
      }
      Set<String> templated = new TreeSet<>();
      Matcher m = TEMPLATE.matcher(path);
      while (m.find()) {
        templated.add(m.group(1));
      }
      check(templated.equals(pathParams), route + ": path template names " + templated
          + ", parameters " + pathParams);
      JsonObject body = op.getJsonObject("requestBody");
      if (body != null) {
        JsonObject content = resolve(body).getJsonObject("content", new JsonObject());
        check(content.containsKey("application/json") && content
            .getJsonObject("application/json").containsKey("schema"), route + ": a request body "
            + "without a JSON schema");
      }
      answers(route, op);
    });
    assertThat(operationIds).hasSize(operations().size());
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  private void answers(String route, JsonObject op) {
    JsonObject responses = op.getJsonObject("responses", new JsonObject());
    // 101: a WebSocket's upgrade is its success
    check(responses.fieldNames().stream().anyMatch(s -> s.startsWith("2") || s.equals("101")),
        route + ": no success answer");
    for (String status : responses.fieldNames()) {
      JsonObject response = resolve(responses.getJsonObject(status));
      check(response != null && response.getString("description") != null, route + " " + status
          + ": no description");
      if (response == null || status.startsWith("2") || status.equals("101")) {
        continue;
      }
      JsonObject json = response.getJsonObject("content", new JsonObject())
          .getJsonObject("application/json");
      String schema = json == null ? null : json.getJsonObject("schema").getString("$ref");
      String expected = status.equals("422") ? "#/components/schemas/HTTPValidationError"
          : "#/components/schemas/ErrorResponse";
      check(expected.equals(schema), route + " " + status + ": an error without a JSON "
          + "detail (" + schema + ")");
    }
  }

  @Test
  void everyV1OperationNamesItsKeyAndTheSubAccountHeader() {
    operations().forEach((route, op) -> {
      String path = route.substring(route.indexOf(' ') + 1);
      boolean v1 = path.startsWith("/v1/");
      boolean header = false;
      for (Object p : op.getJsonArray("parameters", new JsonArray())) {
        JsonObject param = resolve((JsonObject) p);
        header |= "header".equals(param.getString("in"))
            && "X-Sub-Account-Id".equals(param.getString("name"))
            && !param.getBoolean("required", false);
      }
      check(header == v1, route + (v1 ? ": no optional X-Sub-Account-Id header"
          : ": a sub-account header outside /v1"));
      JsonArray security = op.getJsonArray("security");
      JsonArray bearer = new JsonArray().add(new JsonObject().put("HTTPBearer", new JsonArray()));
      if (v1 && !route.equals(RECORDING)) {
        check(bearer.equals(security), route + ": no bearer key");
        check(op.getJsonObject("responses").containsKey("401"), route + ": no 401");
      } else {
        // the sign-up and the public recording say they need no key
        check(new JsonArray().equals(security), route + ": not marked as needing no key "
            + "(security: [])");
      }
    });
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void successCodesAndMediaTypesAreTheOnesClientsExpect() {
    Map<String, JsonObject> ops = operations();
    assertThat(ops.get("POST /v1/contacts").getJsonObject("responses").fieldNames())
        .contains("201").doesNotContain("200");
    for (String route : List.of("DELETE /v1/contacts/{contact_id}",
        "DELETE /v1/numbers/{number_id}/contact-card",
        "DELETE /v1/conversations/{conversation_id}/background")) {
      JsonObject responses = ops.get(route).getJsonObject("responses");
      assertThat(responses.fieldNames()).as(route).contains("204").doesNotContain("200");
      assertThat(responses.getJsonObject("204").containsKey("content")).as(route).isFalse();
    }
    assertThat(ops.get(RECORDING).getJsonObject("responses").getJsonObject("200")
        .getJsonObject("content").fieldNames()).containsExactly("audio/wav");
    assertThat(ops.get("GET /v1/calls/{call_id}/transcript/stream").getJsonObject("responses")
        .getJsonObject("200").getJsonObject("content").fieldNames())
        .containsExactly("text/event-stream");
  }

  @Test
  void everySchemaUsesJsonSchemaWordsAndConsistentDefaults() {
    contract.getJsonObject("components").getJsonObject("schemas")
        .forEach(e -> schema("#/components/schemas/" + e.getKey(), (JsonObject) e.getValue()));
    operations().forEach((route, op) -> {
      for (Object p : op.getJsonArray("parameters", new JsonArray())) {
        JsonObject param = resolve((JsonObject) p);
        schema(route + " " + param.getString("name"), param.getJsonObject("schema"));
      }
      contents(route + " body", op.getJsonObject("requestBody"));
      op.getJsonObject("responses").forEach(r -> contents(route + " " + r.getKey(),
          (JsonObject) r.getValue()));
    });
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void theReadmeApiTableListsEveryOperation() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## API overview");
    int end = readme.indexOf("\n## ", start + 1);
    Set<String> listed = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\|[^|]*\\| `([A-Z]+) (/[^`]+)`").matcher(
        readme.substring(start, end));
    while (row.find()) {
      check(listed.add(row.group(1) + " " + row.group(2)), "README lists " + row.group(1) + " "
          + row.group(2) + " twice");
    }
    assertThat(listed).isEqualTo(new TreeSet<>(operations().keySet()));
    assertThat(problems).isEmpty();
  }

  private void contents(String where, JsonObject holder) {
    JsonObject resolved = holder == null ? null : resolve(holder);
    if (resolved == null) {
      return;
    }
    resolved.getJsonObject("content", new JsonObject()).forEach(c ->
        schema(where + " " + c.getKey(), ((JsonObject) c.getValue()).getJsonObject("schema")));
  }

  private void schema(String where, JsonObject schema) {
    if (schema == null) {
      problems.add(where + ": no schema");
      return;
    }
    for (String word : schema.fieldNames()) {
      check(SCHEMA_WORDS.contains(word) || word.startsWith("x-"), where + ": unknown keyword "
          + word);
    }
    Object type = schema.getValue("type");
    List<Object> types = type instanceof JsonArray list ? list.getList()
        : type == null ? List.of() : List.of(type);
    types.forEach(t -> check(TYPES.contains(t), where + ": type " + t));
    JsonObject properties = schema.getJsonObject("properties");
    if (schema.containsKey("required") && properties != null) {
      schema.getJsonArray("required").forEach(r -> check(properties.containsKey((String) r),
          where + ": requires " + r + ", which it does not define"));
    }
    if (types.contains("array")) {
      check(schema.getValue("items") instanceof JsonObject, where + ": an array without items");
    }
    JsonArray values = schema.getJsonArray("enum");
    if (values != null) {
      check(!values.isEmpty(), where + ": an empty enum");
      if (schema.containsKey("default") && schema.getValue("default") != null) {
        check(values.contains(schema.getValue("default")), where + ": default "
            + schema.getValue("default") + " is not one of " + values);
      }
    }
    if (schema.containsKey("default") && types.size() == 1) {
      check(fits(schema.getValue("default"), (String) types.get(0)), where + ": default "
          + schema.getValue("default") + " is not a " + types.get(0));
    }
    if (properties != null) {
      properties.forEach(e -> schema(where + "." + e.getKey(), (JsonObject) e.getValue()));
    }
    for (String nested : List.of("items", "additionalProperties", "not", "if", "then", "else")) {
      if (schema.getValue(nested) instanceof JsonObject child) {
        schema(where + " " + nested, child);
      }
    }
    for (String alternatives : List.of("anyOf", "oneOf", "allOf")) {
      JsonArray options = schema.getJsonArray(alternatives);
      if (options != null) {
        check(!options.isEmpty(), where + ": an empty " + alternatives);
        options.forEach(o -> schema(where + " " + alternatives, (JsonObject) o));
      }
    }
  }

  private static boolean fits(Object value, String type) {
    return switch (type) {
      case "string" -> value instanceof String;
      case "integer" -> value instanceof Integer || value instanceof Long;
      case "number" -> value instanceof Number;
      case "boolean" -> value instanceof Boolean;
      case "array" -> value instanceof JsonArray;
      case "object" -> value instanceof JsonObject;
      default -> value == null;
    };
  }

  /** "GET /v1/agents" → the operation, in document order. */
  private Map<String, JsonObject> operations() {
    Map<String, JsonObject> out = new java.util.LinkedHashMap<>();
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        check(METHODS.contains(method), path + ": '" + method + "' is not an HTTP method");
        out.put(method.toUpperCase(Locale.ROOT) + " " + path, item.getJsonObject(method));
      }
    }
    return out;
  }

  private void collectRefs(Object node, List<String> out) {
    if (node instanceof JsonObject object) {
      object.forEach(e -> {
        if (e.getKey().equals("$ref") && e.getValue() instanceof String ref) {
          out.add(ref);
        } else {
          collectRefs(e.getValue(), out);
        }
      });
    } else if (node instanceof JsonArray array) {
      array.forEach(v -> collectRefs(v, out));
    }
  }

  private JsonObject resolve(JsonObject node) {
    JsonObject current = node;
    for (int hops = 0; current != null && current.containsKey("$ref") && hops < 20; hops++) {
      current = pointer(current.getString("$ref"));
    }
    return current;
  }

  private JsonObject pointer(String ref) {
    if (!ref.startsWith("#/")) {
      return null;
    }
    Object target = contract;
    for (String part : ref.substring(2).split("/")) {
      if (!(target instanceof JsonObject object) || !object.containsKey(part)) {
        return null;
      }
      target = object.getValue(part);
    }
    return target instanceof JsonObject object ? object : null;
  }

  private void check(boolean ok, String problem) {
    if (!ok) {
      problems.add(problem);
    }
  }

  private static JsonObject served() {
    try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
