package dev.agentphone.http;

import dev.agentphone.http.OpenApiOperations.Operation;
import dev.agentphone.http.OpenApiOperations.Param;
import dev.agentphone.support.RawHttp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests for any operation of the contract, loosely shaped by its schemas and mixed with what
 * careless or hostile clients send: NUL, lone surrogates, invalid UTF-8, huge and negative-zero
 * numbers, big integers as strings, 10,000-deep JSON, 100 KB strings, wrong types, empty bodies,
 * malformed percent-escapes; ids that are real (the caller's or another account's) or made up.
 */
final class FuzzInputs {
  /** A generated request, ready to send byte for byte. */
  record FuzzRequest(Operation operation, String target, byte[] body, String key,
      boolean foreignId) {
    @Override
    public String toString() {
      String shown = body == null ? "(no body)"
          : RawHttp.printable(new String(body, StandardCharsets.ISO_8859_1));
      return operation.method() + " " + RawHttp.printable(target) + " key="
          + (key == null ? "none" : key.substring(0, Math.min(12, key.length())))
          + " body=" + shown;
    }
  }

  /** Real ids of one account by kind ("agent", "number", ...). */
  record Ids(String key, Map<String, List<String>> byKind) {
  }

  /** One path segment: text to percent-encode, or raw target text to send as is. */
  private record Segment(String text, boolean raw, boolean foreign) {
  }

  static final String LONG_ASCII = "x".repeat(100_000);
  static final String LONG_UNICODE = "\u00e9\u4e2d".repeat(20_000);
  /** Text PostgreSQL stores, but at the edges: long, empty, control characters, emoji. */
  static final List<String> EXTREME_TEXT = List.of("\ud83d\ude00", "", " ", "\t\n",
      "\u0001\u001f\u007f", "null", "true", "%00", "../../etc/passwd",
      "'; DROP TABLE agents; --", "\u202eevil", "9".repeat(400), "1e308", "9223372036854775808",
      "-0", "\ufeff", "\uffff", "\\", "\"", LONG_ASCII, LONG_UNICODE);
  /** Text it cannot store or that is not valid Unicode. */
  static final List<String> UNSTORABLE_TEXT = List.of("\u0000", "a\u0000", "\u0000b",
      "\ud800", "x\udfff", "\udc00\ud800");
  /** JSON number (and look-alike) literals, written into bodies as they are. */
  static final List<String> HOSTILE_NUMBERS = List.of("1e308", "-1e308", "1e999", "-1e999",
      "9223372036854775808", "-9223372036854775809", "18446744073709551616", "-0", "-0.0", "0",
      "-1", "2147483648", "-2147483649", "1.5", "1E2", "4.9e-324", "1" + "0".repeat(300),
      "\"12\"", "\"9223372036854775808\"", "true", "null", "[]", "{}");
  /** Query values in a URL: numbers of every size and shape, already encoded. */
  static final List<String> HOSTILE_QUERY = List.of("1e308", "9223372036854775808", "-0",
      "99999999999999999999", "-1", "0", "", "abc", "%205", "5%00", "1.5", "0x10", "%ZZ", "%",
      "%C3", "%ED%A0%80", "%FF", "%E2%80%AE", "2026-13-45T99:99:99Z");
  /** Raw path segments a client might send unencoded or broken. */
  static final List<String> RAW_SEGMENTS = List.of("%ZZ", "%", "%C3", "%FF%FE", "%ED%A0%80",
      "%C0%80", "%00", "%2F", "..", ".", "\u00e9", "a%20b", "x".repeat(9_000));
  /**
   * Switches that make the engine hold the answer until a call ends (minutes, by design): sent
   * only as false, so a walk is not a wait. The waiting itself is the calls tests' business.
   */
  static final List<String> LONG_POLLS = List.of("wait", "waitForCompletion");
  private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xff},
      new byte[] {(byte) 0xc0, (byte) 0x80}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
      new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

  private final Ids mine;
  private final Ids theirs;

  FuzzInputs(Ids mine, Ids theirs) {
    this.mine = mine;
    this.theirs = theirs;
  }

  /**
   * Half the requests are hostile anywhere; the other half are what a real client might send,
   * with only storable extremes (long text, emoji, control characters, edge numbers) in them, so
   * they get past validation and reach the features and the database.
   */
  Arbitrary<FuzzRequest> requests(List<Operation> operations) {
    return Combinators.combine(Arbitraries.of(operations), Arbitraries.of(true, false))
        .flatAs(this::request);
  }

  private Arbitrary<FuzzRequest> request(Operation op, boolean hostile) {
    Arbitrary<List<Segment>> path = Combinators.combine(pathSegments(op, hostile))
        .as(List::copyOf);
    Arbitrary<String> query = Combinators.combine(queryPairs(op, hostile)).as(pairs ->
        String.join("&", pairs.stream().filter(p -> !p.isEmpty()).toList()));
    Arbitrary<byte[]> body;
    if (op.body() == null) {
      body = hostile ? Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((byte[]) null)),
          Tuple.of(1, wholeBodies(null))) : Arbitraries.just(null);
    } else {
      Arbitrary<byte[]> object = objectFor(op.body(), 0, hostile).map(FuzzInputs::ascii);
      body = hostile ? Arbitraries.frequencyOf(Tuple.of(2, object),
          Tuple.of(1, wholeBodies(op.body()))) : object;
    }
    Arbitrary<String> key = op.secured() && hostile
        ? Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(mine.key())),
            Tuple.of(1, Arbitraries.of("", "sk_live_nope", "sk_live_\u00e9")))
        : Arbitraries.just(op.secured() ? mine.key() : "");
    return Combinators.combine(path, query, body, key).as((segments, q, b, k) -> {
      StringBuilder target = new StringBuilder();
      boolean foreign = false;
      for (Segment segment : segments) {
        target.append('/').append(segment.raw() ? segment.text() : encode(segment.text()));
        foreign |= segment.foreign();
      }
      if (!q.isEmpty()) {
        target.append('?').append(q);
      }
      return new FuzzRequest(op, target.toString(), b, k.isEmpty() ? null : k, foreign);
    });
  }

  private List<Arbitrary<Segment>> pathSegments(Operation op, boolean hostile) {
    List<Arbitrary<Segment>> out = new ArrayList<>();
    for (String part : op.path().substring(1).split("/")) {
      if (part.startsWith("{") && part.endsWith("}")) {
        out.add(idSegment(kind(part.substring(1, part.length() - 1)), op.method(), hostile));
      } else {
        out.add(Arbitraries.just(new Segment(part, true, false)));
      }
    }
    return out;
  }

  private Arbitrary<Segment> idSegment(String kind, String method, boolean hostile) {
    List<String> own = mine.byKind().getOrDefault(kind, List.of());
    List<String> others = theirs.byKind().getOrDefault(kind, List.of());
    List<Tuple.Tuple2<Integer, Arbitrary<Segment>>> choices = new ArrayList<>();
    if (!own.isEmpty()) {
      // deleting the caller's real resources early would leave later tries only 404s
      choices.add(Tuple.of("DELETE".equals(method) ? 1 : 6,
          Arbitraries.of(own).map(id -> new Segment(id, false, false))));
    }
    if (!others.isEmpty()) {
      choices.add(Tuple.of(2, Arbitraries.of(others).map(id -> new Segment(id, false, true))));
    }
    choices.add(Tuple.of(2, Arbitraries.strings().alpha().numeric().ofMinLength(1)
        .ofMaxLength(26).map(s -> new Segment(kind.substring(0, 3) + "_" + s, false, false))));
    if (hostile) {
      choices.add(Tuple.of(2, text(true).map(s -> new Segment(s, false, false))));
      choices.add(Tuple.of(1, Arbitraries.of(RAW_SEGMENTS).map(s -> new Segment(s, true, false))));
    }
    return Arbitraries.frequencyOf(choices.toArray(Tuple.Tuple2[]::new));
  }

  private List<Arbitrary<String>> queryPairs(Operation op, boolean hostile) {
    List<Arbitrary<String>> out = new ArrayList<>();
    for (Param param : op.in("query")) {
      String name = encode(param.name()) + "=";
      if (LONG_POLLS.contains(param.name())) {
        out.add(Arbitraries.of("", name + "false"));
        continue;
      }
      Arbitrary<String> plausible = plausibleQuery(param).map(v -> name + v);
      out.add(hostile ? Arbitraries.frequencyOf(
          Tuple.of(3, Arbitraries.just("")),
          Tuple.of(2, plausible),
          Tuple.of(2, Arbitraries.of(HOSTILE_QUERY).map(v -> name + v)),
          Tuple.of(2, text(true).map(v -> name + encode(v))))
          : Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")), Tuple.of(2, plausible)));
    }
    if (hostile) {
      out.add(Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just("")),
          Tuple.of(1, text(true).map(v -> "unknown=" + encode(v))),
          Tuple.of(1, text(true).map(v -> encode(v) + "=1"))));
    }
    return out;
  }

  private Arbitrary<String> plausibleQuery(Param param) {
    JsonObject schema = firstNonNull(param.schema());
    JsonArray values = new JsonArray();
    String description = param.schema().getString("description", "");
    if (description.startsWith("Filter by") && description.contains(": ")) {
      for (String v : description.substring(description.indexOf(": ") + 2).split(", ")) {
        values.add(v.trim());
      }
    }
    if (!values.isEmpty()) {
      return Arbitraries.of(values.getList()).map(v -> encode(v.toString()));
    }
    if ("integer".equals(schema.getString("type"))) {
      return integers(schema).map(String::valueOf);
    }
    if ("date-time".equals(schema.getString("format"))) {
      return Arbitraries.of("2026-01-01T00:00:00Z", "2026-01-01T00%3A00%3A00%2B02%3A00",
          "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "%2B999999999-12-31T23:59:59Z",
          "-999999999-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "294277-01-01T00:00:00Z",
          "2026-01-01T00:00:00.999999999Z", "2026-01-01T00:00:00%2B18:00");
    }
    return Arbitraries.strings().alpha().numeric().ofMaxLength(12);
  }

  /** Bodies that are not a well-formed object of the schema at all. */
  private Arbitrary<byte[]> wholeBodies(JsonObject schema) {
    String field = schema == null || schema.getJsonObject("properties") == null
        || schema.getJsonObject("properties").isEmpty() ? "name"
        : schema.getJsonObject("properties").fieldNames().iterator().next();
    return Arbitraries.oneOf(
        Arbitraries.of("", " ", "null", "[]", "{}", "42", "\"text\"", "{", "{\"a\":}", "[1,",
            "{\"" + field + "\":" + "1".repeat(2_000) + "}",
            "[".repeat(10_000) + "]".repeat(10_000),
            "{\"" + field + "\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}",
            "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000),
            "{\"" + field + "\":\"" + LONG_ASCII + "\"}",
            "{\"" + field + "\\u0000\":1}").map(FuzzInputs::ascii),
        Arbitraries.of(INVALID_UTF8).map(bad -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.writeBytes(ascii("{\"" + field + "\":\"ab"));
          out.writeBytes(bad);
          out.writeBytes(ascii("cd\"}"));
          return out.toByteArray();
        }));
  }

  /** An object of the schema's properties, each present or not, plausible or hostile. */
  private Arbitrary<String> objectFor(JsonObject schema, int depth, boolean hostile) {
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    List<Arbitrary<String>> members = new ArrayList<>();
    for (String name : properties.fieldNames()) {
      members.add(Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("")),
          Tuple.of(4, valueFor(name, properties.getJsonObject(name), depth + 1, hostile)
              .map(v -> quote(name) + ":" + v))));
    }
    members.add(Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")),
        Tuple.of(1, Combinators.combine(text(hostile), freeValue(depth + 1, hostile))
            .as((k, v) -> quote(k) + ":" + v))));
    return Combinators.combine(members).as(parts ->
        "{" + String.join(",", parts.stream().filter(p -> !p.isEmpty()).toList()) + "}");
  }

  private Arbitrary<String> valueFor(String name, JsonObject schema, int depth,
      boolean hostile) {
    if (LONG_POLLS.contains(name)) {
      return Arbitraries.of("false", "null");
    }
    if (schema.containsKey("anyOf") || schema.containsKey("oneOf")) {
      JsonArray options = schema.getJsonArray(schema.containsKey("anyOf") ? "anyOf" : "oneOf");
      List<Arbitrary<String>> choices = new ArrayList<>();
      for (Object option : options) {
        JsonObject merged = ((JsonObject) option).copy();
        if (schema.containsKey("enum")) {
          merged.put("enum", schema.getJsonArray("enum"));
        }
        choices.add(valueFor(name, merged, depth, hostile));
      }
      return Arbitraries.oneOf(choices);
    }
    // a wrong type only in hostile requests; elsewhere the number edges stay in range of type
    int wrongWeight = hostile ? 1 : 0;
    Arbitrary<String> wrong = Arbitraries.oneOf(Arbitraries.of(HOSTILE_NUMBERS),
        text(true).map(FuzzInputs::quote), Arbitraries.of("{}", "[]", "false", "[\"x\"]"));
    if (schema.containsKey("enum")) {
      return pick(
          Tuple.of(4, Arbitraries.of(schema.getJsonArray("enum").getList())
              .map(v -> quote(String.valueOf(v)))),
          Tuple.of(wrongWeight, wrong));
    }
    String type = schema.getString("type", "");
    return switch (type) {
      case "null" -> Arbitraries.just("null");
      case "string" -> pick(Tuple.of(4, plausible(name).map(FuzzInputs::quote)),
          Tuple.of(2, text(hostile).map(FuzzInputs::quote)), Tuple.of(wrongWeight, wrong));
      case "integer", "number" -> pick(
          Tuple.of(4, integers(schema).map(String::valueOf)),
          Tuple.of(2, Arbitraries.of(HOSTILE_NUMBERS)), Tuple.of(wrongWeight, wrong));
      case "boolean" -> pick(Tuple.of(4, Arbitraries.of("true", "false")),
          Tuple.of(wrongWeight, wrong));
      case "array" -> schema.getValue("items") instanceof JsonObject items && depth < 4
          ? valueFor(name, items, depth + 1, hostile).list().ofMaxSize(3)
              .map(list -> "[" + String.join(",", list) + "]")
          : freeValue(depth, hostile);
      case "object" -> schema.containsKey("properties") && depth < 4
          ? objectFor(schema, depth, hostile) : pick(
              Tuple.of(4, freeObject(depth, hostile)), Tuple.of(wrongWeight, wrong));
      default -> freeValue(depth, hostile);
    };
  }

  /** Any JSON value; objects and arrays nest a few levels with hostile keys and values. */
  private Arbitrary<String> freeValue(int depth, boolean hostile) {
    if (depth > 3) {
      return Arbitraries.oneOf(Arbitraries.of(HOSTILE_NUMBERS), text(hostile).map(FuzzInputs::quote));
    }
    return Arbitraries.frequencyOf(
        Tuple.of(3, text(hostile).map(FuzzInputs::quote)),
        Tuple.of(2, Arbitraries.of(HOSTILE_NUMBERS)),
        Tuple.of(1, Arbitraries.lazy(() -> freeObject(depth + 1, hostile))),
        Tuple.of(1, Arbitraries.lazy(() -> freeValue(depth + 1, hostile)).list().ofMaxSize(3)
            .map(list -> "[" + String.join(",", list) + "]")));
  }

  private Arbitrary<String> freeObject(int depth, boolean hostile) {
    return Combinators.combine(text(hostile), Arbitraries.lazy(() -> freeValue(depth + 1, hostile)))
        .as((k, v) -> quote(k) + ":" + v).list().ofMaxSize(3)
        .map(members -> "{" + String.join(",", members) + "}");
  }

  /**
   * Text: plain, extreme but storable, and, when {@code hostile}, also any UTF-16 (lone
   * surrogates and NUL included) and the unstorable list.
   */
  private static Arbitrary<String> text(boolean hostile) {
    Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().withChars(" -_.@+")
        .ofMaxLength(16);
    Arbitrary<String> extreme = Arbitraries.of(EXTREME_TEXT);
    if (!hostile) {
      return Arbitraries.frequencyOf(Tuple.of(3, plain), Tuple.of(2, extreme));
    }
    return Arbitraries.frequencyOf(Tuple.of(2, plain), Tuple.of(2, extreme),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(16)),
        Tuple.of(2, Arbitraries.of(UNSTORABLE_TEXT)));
  }

  /** A value a real client would send for a field of this name. */
  private Arbitrary<String> plausible(String field) {
    String name = field.toLowerCase(Locale.ROOT).replace("_", "");
    if (name.endsWith("id")) {
      String kind = kind(field);
      List<String> ids = new ArrayList<>(mine.byKind().getOrDefault(kind, List.of()));
      ids.addAll(theirs.byKind().getOrDefault(kind, List.of()));
      ids.add(kind.substring(0, 3) + "_missing");
      return Arbitraries.of(ids);
    }
    if (name.contains("number") || name.contains("phone")) {
      return Arbitraries.of("+14155550123", "+12025550177", "4155550123", "+1", "+999999999999999");
    }
    if (name.contains("email")) {
      return Arbitraries.of("fuzz@example.com", "a@b.co", "not-an-email");
    }
    if (name.contains("url")) {
      return Arbitraries.of("http://127.0.0.1:1/hook", "https://example.invalid/h",
          "ftp://example.invalid/", "http://[::1]:1/");
    }
    if (name.equals("country")) {
      return Arbitraries.of("US", "CA", "GB", "ZZ", "us");
    }
    if (name.equals("areacode")) {
      return Arbitraries.of("415", "202", "999", "41");
    }
    if (name.contains("code")) {
      return Arbitraries.strings().numeric().ofMinLength(6).ofMaxLength(6);
    }
    if (name.equals("reaction")) {
      return Arbitraries.of("like", "love", "laugh", "\ud83d\udc4d");
    }
    return Arbitraries.strings().alpha().numeric().withChars(' ').ofMinLength(1).ofMaxLength(24);
  }

  /** {@code frequencyOf} without the choices of weight 0. */
  @SafeVarargs
  private static <T> Arbitrary<T> pick(Tuple.Tuple2<Integer, Arbitrary<T>>... choices) {
    return Arbitraries.frequencyOf(java.util.Arrays.stream(choices).filter(c -> c.get1() > 0)
        .toArray(Tuple.Tuple2[]::new));
  }

  private static Arbitrary<Integer> integers(JsonObject schema) {
    int min = schema.getInteger("minimum", -5);
    int max = schema.getInteger("maximum", 500);
    return Arbitraries.integers().between(min - 2, max + 2);
  }

  private static JsonObject firstNonNull(JsonObject schema) {
    JsonArray options = schema.getJsonArray("anyOf");
    if (options == null) {
      return schema;
    }
    for (Object option : options) {
      if (!"null".equals(((JsonObject) option).getString("type"))) {
        return (JsonObject) option;
      }
    }
    return schema;
  }

  /** "agent_id", "agentId", "fromNumberId" → "agent", "agent", "number". */
  static String kind(String parameter) {
    String name = parameter.toLowerCase(Locale.ROOT).replace("_", "");
    for (String kind : List.of("conversation", "contact", "message", "number", "agent", "call",
        "verification")) {
      if (name.contains(kind)) {
        return kind;
      }
    }
    return "thing";
  }

  /** A JSON string literal; everything outside printable ASCII escaped, surrogates included. */
  static String quote(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.append('"').toString();
  }

  /**
   * Percent-encoding of UTF-16 text as UTF-8; a lone surrogate becomes its three-byte form
   * (ED A0 80 for D800), which is not valid UTF-8, as a careless encoder would send it.
   */
  static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
        out.append(c);
        continue;
      }
      byte[] bytes;
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
        i++;
      } else if (Character.isSurrogate(c)) {
        bytes = new byte[] {(byte) (0xe0 | c >> 12), (byte) (0x80 | (c >> 6 & 0x3f)),
            (byte) (0x80 | (c & 0x3f))};
      } else {
        bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      }
      for (byte b : bytes) {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
