package dev.agentphone.sdk;

import dev.agentphone.sdk.SdkPackage.Operation;
import dev.agentphone.sdk.TypeScriptDeclarations.Field;
import dev.agentphone.sdk.TypeScriptDeclarations.TsType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the contract lacks for the official client: each operation it calls, with the same
 * method and path template; each query parameter, header and body field it sends, with the
 * same type, nullability, requiredness and enum values; and each field its response types
 * declare, at every depth, present (and required where the client's type says it always is).
 * The answer is a list of problems, one sentence each; empty means covered.
 */
final class SdkCoverage {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");
  private static final int MAX_DEPTH = 8;

  /** Requests may be looser than the client (accept more); responses must keep its promises. */
  private enum Direction { REQUEST, RESPONSE }

  private final Contract contract;
  private final TypeScriptDeclarations types;
  private final List<String> problems = new ArrayList<>();

  private SdkCoverage(Contract contract, TypeScriptDeclarations types) {
    this.contract = contract;
    this.types = types;
  }

  static List<String> problems(Contract contract, SdkPackage sdk, List<Operation> operations) {
    SdkCoverage coverage = new SdkCoverage(contract, sdk.types());
    operations.forEach(coverage::check);
    return coverage.problems;
  }

  private void check(Operation op) {
    JsonObject operation = contract.operation(op.method(), op.path());
    if (operation == null) {
      problem(op, "is not in the contract");
      return;
    }
    Matcher names = PATH_PARAM.matcher(op.path());
    while (names.find()) {
      JsonObject param = contract.parameter(operation, "path", names.group(1));
      if (param == null || !param.getBoolean("required", false)) {
        problem(op, "path parameter " + names.group(1) + " is not declared as a required path "
            + "parameter");
      }
    }
    for (Field field : op.query().values()) {
      JsonObject param = contract.parameter(operation, "query", field.name());
      if (param == null) {
        problem(op, "query parameter " + field.name() + " is missing");
        continue;
      }
      if (param.getBoolean("required", false) == field.optional()) {
        problem(op, "query parameter " + field.name() + " is " + (field.optional() ? "" : "not ")
            + "required; the client's is " + (field.optional() ? "optional" : "required"));
      }
      value(op, "query " + field.name(), field.type(), param.getJsonObject("schema"),
          Direction.REQUEST, 0);
    }
    for (String header : op.headers()) {
      if (contract.parameter(operation, "header", header) == null) {
        problem(op, "header " + header + " is missing");
      }
    }
    JsonObject requestBody = contract.resolve(operation.getJsonObject("requestBody",
        new JsonObject()));
    if (op.body() != null) {
      JsonObject schema = requestBody == null || requestBody.getJsonObject("content") == null
          ? null : requestBody.getJsonObject("content").getJsonObject("application/json");
      if (schema == null) {
        problem(op, "has no application/json request body; the client sends one");
      } else {
        object(op, "body", op.body(), schema.getJsonObject("schema"), Direction.REQUEST, 0);
      }
    } else if (requestBody != null && requestBody.getBoolean("required", false)) {
      problem(op, "requires a request body; the client sends none");
    }
    response(op, operation);
  }

  private void response(Operation op, JsonObject operation) {
    TsType type = op.response();
    JsonObject responses = operation.getJsonObject("responses", new JsonObject());
    if (type.kind() == TsType.Kind.VOID) {
      JsonObject noContent = responses.getJsonObject("204");
      if (noContent == null || contract.resolve(noContent).containsKey("content")) {
        problem(op, "does not answer 204 without a body; the client expects no content");
      }
      return;
    }
    if (type.kind() == TsType.Kind.UNKNOWN) {
      if (!describesSuccess(responses)) {
        problem(op, "does not describe its success answer (the client types it unknown, so the "
            + "contract is the only description)");
      }
      return;
    }
    JsonObject schema = contract.successSchema(operation, "application/json");
    if (schema == null) {
      problem(op, "has no JSON success answer; the client expects " + type);
      return;
    }
    value(op, "response", type, schema, Direction.RESPONSE, 0);
  }

  private boolean describesSuccess(JsonObject responses) {
    for (String status : responses.fieldNames()) {
      JsonObject content = status.startsWith("2")
          ? contract.resolve(responses.getJsonObject(status)).getJsonObject("content") : null;
      if (content == null) {
        continue;
      }
      for (String mediaType : content.fieldNames()) {
        JsonObject schema = content.getJsonObject(mediaType).getJsonObject("schema");
        if (schema != null && !schema.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  private void object(Operation op, String where, Map<String, Field> fields, JsonObject schema,
      Direction direction, int depth) {
    JsonObject object = null;
    for (JsonObject alternative : contract.alternatives(schema)) {
      if ("object".equals(alternative.getString("type")) || alternative.containsKey("properties")) {
        object = alternative;
        break;
      }
    }
    if (object == null) {
      problem(op, where + " is not an object in the contract");
      return;
    }
    JsonObject properties = object.getJsonObject("properties", new JsonObject());
    Set<String> required = new HashSet<>();
    object.getJsonArray("required", new JsonArray()).forEach(r -> required.add((String) r));
    for (Field field : fields.values()) {
      if (field.name().equals(SdkPackage.SUB_ACCOUNT_HEADER)) {
        continue;
      }
      String name = where + "." + field.name();
      JsonObject property = properties.getJsonObject(field.name());
      if (property == null) {
        problem(op, name + " is missing");
        continue;
      }
      boolean contractRequires = required.contains(field.name());
      if (direction == Direction.REQUEST && contractRequires == field.optional()) {
        problem(op, name + " is " + (contractRequires ? "" : "not ") + "required; the client's is "
            + (field.optional() ? "optional" : "required"));
      } else if (direction == Direction.RESPONSE && !field.optional() && !contractRequires) {
        problem(op, name + " is not required, but the client's type says it is always there");
      }
      value(op, name, field.type(), property, direction, depth + 1);
    }
  }

  private void value(Operation op, String where, TsType type, JsonObject schema,
      Direction direction, int depth) {
    if (type.kind() == TsType.Kind.UNKNOWN || depth > MAX_DEPTH) {
      return;
    }
    if (schema == null || contract.resolve(schema) == null) {
      problem(op, where + " has no schema (or a $ref that does not resolve)");
      return;
    }
    boolean nullAllowed = contract.allowsNull(schema);
    if (direction == Direction.REQUEST && type.nullable() && !nullAllowed) {
      problem(op, where + " does not accept null; the client may send null");
    }
    if (direction == Direction.RESPONSE && !type.nullable() && nullAllowed) {
      problem(op, where + " may be null; the client's type never is");
    }
    List<JsonObject> alternatives = contract.alternatives(schema);
    JsonObject resolved = contract.resolve(schema);
    for (JsonObject alternative : alternatives) {
      if (matches(op, where, type, alternative, resolved, direction, depth)) {
        return;
      }
    }
    problem(op, where + " is " + describe(alternatives) + " in the contract; the client's type "
        + "is " + type);
  }

  private boolean matches(Operation op, String where, TsType type, JsonObject alternative,
      JsonObject parent, Direction direction, int depth) {
    String schemaType = alternative.getString("type", "");
    switch (type.kind()) {
      case STRING:
        return schemaType.equals("string");
      case NUMBER:
        return schemaType.equals("integer") || schemaType.equals("number");
      case BOOLEAN:
        return schemaType.equals("boolean");
      case ENUM: {
        JsonArray values = alternative.getJsonArray("enum", parent.getJsonArray("enum"));
        if (values == null) {
          return false;
        }
        if (!Set.copyOf(values.getList()).equals(Set.copyOf(type.values()))) {
          problem(op, where + " has the values " + values.getList() + "; the client's are "
              + type.values());
        }
        return true;
      }
      case ARRAY:
        if (!schemaType.equals("array")) {
          return false;
        }
        value(op, where + "[]", type.element(), alternative.getJsonObject("items"), direction,
            depth + 1);
        return true;
      case RECORD:
        if (!schemaType.equals("object")) {
          return false;
        }
        if (alternative.getValue("additionalProperties") instanceof JsonObject values) {
          value(op, where + "{}", type.element(), values, direction, depth + 1);
        }
        return true;
      case OBJECT:
        if (!schemaType.equals("object") && !alternative.containsKey("properties")) {
          return false;
        }
        object(op, where, types.fields(type.name()), alternative, direction, depth + 1);
        return true;
      default:
        return true;
    }
  }

  private static String describe(List<JsonObject> alternatives) {
    List<String> out = new ArrayList<>();
    alternatives.forEach(a -> out.add(a.getString("type", a.containsKey("enum") ? "enum" : "any")));
    return out.isEmpty() ? "null only" : String.join(" or ", out);
  }

  private void problem(Operation op, String what) {
    problems.add(op + ": " + what);
  }
}
