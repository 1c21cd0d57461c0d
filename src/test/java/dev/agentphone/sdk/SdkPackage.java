package dev.agentphone.sdk;

import dev.agentphone.sdk.TypeScriptDeclarations.Field;
import dev.agentphone.sdk.TypeScriptDeclarations.TsType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every operation the official client calls, read from its installed package: the HTTP method
 * and path template from each resource's {@code Client.js} (the request code, so nothing the
 * docs leave out is missed), which request fields go to the path, the query, the headers and the
 * body, and the request and response types from {@code Client.d.ts} and the types'
 * {@code .d.ts} files.
 */
final class SdkPackage {
  private static final Pattern IMPLEMENTATION = Pattern.compile("(?m)^    __(\\w+)\\([^)]*\\) \\{$");
  private static final Pattern ROUTE = Pattern.compile("handleNonStatusCodeError\\)\\(_response"
      + "\\.error, _response\\.rawResponse, \"([A-Z]+)\", \"([^\"]+)\"\\)");
  private static final Pattern DESTRUCTURED = Pattern.compile(
      "const \\{ ([^}]*) \\} = request(?:, _body = __rest\\(request, \\[([^\\]]*)\\]\\))?;");
  private static final Pattern QUERY = Pattern.compile("const _queryParams = \\{([^}]*)\\};");
  private static final Pattern SIGNATURE = Pattern.compile("(?m)^    (\\w+)\\((?:request(\\??): "
      + "AgentPhone\\.(\\w+), )?requestOptions\\?: \\w+\\.RequestOptions\\): "
      + "core\\.HttpResponsePromise<(.+)>;$");
  static final String SUB_ACCOUNT_HEADER = "X-Sub-Account-Id";

  /**
   * One client method. {@code body} is null when it sends none; {@code headers} are the
   * per-request header fields (the client can send any header through request options).
   */
  record Operation(String resource, String name, String method, String path,
      Map<String, Field> query, List<String> headers, Map<String, Field> body, TsType response) {
    @Override
    public String toString() {
      return resource + "." + name + " (" + method + " " + path + ")";
    }
  }

  private final Path api;
  private final TypeScriptDeclarations types;

  /** {@code root}: the installed package (node_modules/agentphone). */
  SdkPackage(Path root) {
    this.api = root.resolve(Path.of("dist", "cjs", "api"));
    this.types = new TypeScriptDeclarations(api);
  }

  TypeScriptDeclarations types() {
    return types;
  }

  List<Operation> operations() {
    List<Operation> out = new ArrayList<>();
    try (Stream<Path> resources = Files.list(api.resolve("resources"))) {
      for (Path resource : resources.filter(Files::isDirectory).sorted().toList()) {
        out.addAll(operations(resource));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private List<Operation> operations(Path resource) throws IOException {
    String js = Files.readString(resource.resolve(Path.of("client", "Client.js")));
    String dts = Files.readString(resource.resolve(Path.of("client", "Client.d.ts")));
    Map<String, String> implementations = implementations(js);
    List<Operation> out = new ArrayList<>();
    Matcher signature = SIGNATURE.matcher(dts);
    while (signature.find()) {
      String name = signature.group(1);
      String code = implementations.remove(name);
      if (code == null) {
        throw new IllegalStateException(resource.getFileName() + "." + name + " has no __" + name
            + " in Client.js");
      }
      out.add(operation(resource.getFileName().toString(), name, signature.group(3),
          signature.group(4), code));
    }
    if (!implementations.isEmpty()) {
      throw new IllegalStateException("Client.js of " + resource.getFileName()
          + " has methods Client.d.ts does not declare: " + implementations.keySet());
    }
    return out;
  }

  private Operation operation(String resource, String name, String requestType,
      String responseType, String code) {
    Matcher route = ROUTE.matcher(code);
    if (!route.find()) {
      throw new IllegalStateException(resource + "." + name + ": no method and path in Client.js");
    }
    Map<String, Field> request = requestType == null ? Map.of() : types.fields(requestType);
    Map<String, String> destructured = new LinkedHashMap<>();
    List<String> rest = null;
    Matcher fields = DESTRUCTURED.matcher(code);
    if (fields.find()) {
      for (String entry : fields.group(1).split(",")) {
        String[] parts = entry.split(":");
        String key = parts[0].trim().replace("\"", "");
        destructured.put(key, (parts.length > 1 ? parts[1] : parts[0]).trim());
      }
      if (fields.group(2) != null) {
        rest = new ArrayList<>();
        for (String excluded : fields.group(2).split(",")) {
          rest.add(excluded.trim().replace("\"", ""));
        }
      }
    }
    Map<String, Field> query = new LinkedHashMap<>();
    Matcher queryParams = QUERY.matcher(code);
    if (queryParams.find()) {
      for (String entry : queryParams.group(1).split(",")) {
        String key = entry.split(":")[0].trim();
        if (!key.isEmpty()) {
          query.put(key, field(request, key, resource, name));
        }
      }
    }
    List<String> headers = destructured.containsKey(SUB_ACCOUNT_HEADER)
        ? List.of(SUB_ACCOUNT_HEADER) : List.of();
    Map<String, Field> body = null;
    if (code.contains("requestType: \"json\"")) {
      if (code.contains("body: _body,") && rest == null) {
        body = types.fields(objectName(field(request, "body", resource, name).type(), name));
      } else if (code.contains("body: _body,")) {
        body = new LinkedHashMap<>(request);
        body.keySet().removeAll(rest);
      } else if (code.contains("body: request,")) {
        body = new LinkedHashMap<>(request);
      } else {
        throw new IllegalStateException(resource + "." + name + ": a body this reader misses");
      }
    }
    return new Operation(resource, name, route.group(1), route.group(2), query, headers, body,
        types.parse(responseType, null));
  }

  private static Field field(Map<String, Field> request, String key, String resource,
      String name) {
    Field field = request.get(key);
    if (field == null) {
      throw new IllegalStateException(resource + "." + name + " sends " + key
          + ", which its request type does not declare");
    }
    return field;
  }

  private static String objectName(TsType type, String method) {
    if (type.kind() != TsType.Kind.OBJECT) {
      throw new IllegalStateException(method + ": the body field is not an interface: " + type);
    }
    return type.name();
  }

  /** The code of each {@code __name()} implementation, by name. */
  private static Map<String, String> implementations(String js) {
    Map<String, String> out = new HashMap<>();
    Matcher m = IMPLEMENTATION.matcher(js);
    String name = null;
    int start = 0;
    while (m.find()) {
      if (name != null) {
        out.put(name, js.substring(start, m.start()));
      }
      name = m.group(1);
      start = m.start();
    }
    if (name != null) {
      out.put(name, js.substring(start));
    }
    return out;
  }
}
