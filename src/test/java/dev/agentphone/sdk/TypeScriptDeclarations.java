package dev.agentphone.sdk;

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
 * The interfaces and string enums of the official client's {@code .d.ts} files, as far as its
 * request and response types use them: one field per line, unions with {@code null}, arrays,
 * {@code Record<string, T>}, named types ({@code AgentPhone.X}) and enums, top-level
 * ({@code export declare const X: {...}}) or inside the type's namespace ({@code X.Member}).
 */
final class TypeScriptDeclarations {
  private static final Pattern FIELD = Pattern.compile(
      "^    (\"[^\"]+\"|[A-Za-z_$][\\w$]*)(\\?)?: (.+);$");
  private static final Pattern LITERAL = Pattern.compile("readonly [\\w$]+: \"([^\"]*)\";");

  /** A type: its kind, whether null is allowed, and what it is made of. */
  record TsType(Kind kind, boolean nullable, TsType element, String name, List<String> values) {
    enum Kind { STRING, NUMBER, BOOLEAN, UNKNOWN, VOID, ARRAY, RECORD, OBJECT, ENUM }

    static TsType of(Kind kind) {
      return new TsType(kind, false, null, null, List.of());
    }

    TsType orNull() {
      return new TsType(kind, true, element, name, values);
    }

    @Override
    public String toString() {
      String base = switch (kind) {
        case ARRAY -> element + "[]";
        case RECORD -> "Record<string, " + element + ">";
        case OBJECT -> name;
        case ENUM -> String.join("|", values);
        default -> kind.name().toLowerCase();
      };
      return nullable ? base + " | null" : base;
    }
  }

  /** A field of an interface; {@code optional} is TypeScript's {@code ?}. */
  record Field(String name, boolean optional, TsType type) {
  }

  private final Map<String, Path> files = new HashMap<>();
  private final Map<String, String> texts = new HashMap<>();

  /** Indexes every {@code .d.ts} under {@code api} (the package's {@code dist/cjs/api}) by name. */
  TypeScriptDeclarations(Path api) {
    try (Stream<Path> all = Files.walk(api)) {
      all.filter(f -> f.getFileName().toString().endsWith(".d.ts")).forEach(f -> {
        String name = f.getFileName().toString();
        files.putIfAbsent(name.substring(0, name.length() - ".d.ts".length()), f);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fields of interface {@code name}, in declaration order. */
  Map<String, Field> fields(String name) {
    String text = text(name);
    Matcher start = Pattern.compile("(?m)^export interface " + Pattern.quote(name) + " \\{$")
        .matcher(text);
    if (!start.find()) {
      throw new IllegalArgumentException("No interface " + name + " in " + files.get(name));
    }
    Map<String, Field> out = new LinkedHashMap<>();
    for (String line : text.substring(start.end()).split("\n")) {
      if (line.equals("}")) {
        break;
      }
      Matcher field = FIELD.matcher(line);
      if (field.matches()) {
        String fieldName = field.group(1).replace("\"", "");
        out.put(fieldName, new Field(fieldName, field.group(2) != null,
            parse(field.group(3).trim(), name)));
      }
    }
    return out;
  }

  boolean isInterface(String name) {
    return files.containsKey(name) && text(name).contains("export interface " + name + " {");
  }

  /** Parses a type as written in the file of type {@code owner} (for its namespace's enums). */
  TsType parse(String type, String owner) {
    List<String> terms = splitUnion(type);
    boolean nullable = terms.remove("null") | terms.remove("undefined");
    TsType base;
    if (terms.isEmpty()) {
      base = TsType.of(TsType.Kind.UNKNOWN);
    } else if (terms.size() > 1) {
      base = terms.stream().allMatch(t -> t.startsWith("\""))
          ? new TsType(TsType.Kind.ENUM, false, null, null,
              terms.stream().map(t -> t.substring(1, t.length() - 1)).toList())
          : TsType.of(TsType.Kind.UNKNOWN);
    } else {
      base = term(terms.get(0), owner);
    }
    return nullable ? base.orNull() : base;
  }

  private TsType term(String term, String owner) {
    if (term.endsWith("[]")) {
      String element = term.substring(0, term.length() - 2);
      if (element.startsWith("(") && element.endsWith(")")) {
        element = element.substring(1, element.length() - 1);
      }
      return new TsType(TsType.Kind.ARRAY, false, parse(element, owner), null, List.of());
    }
    if (term.startsWith("Record<") && term.endsWith(">")) {
      String inner = term.substring("Record<".length(), term.length() - 1);
      String value = inner.substring(inner.indexOf(',') + 1).trim();
      return new TsType(TsType.Kind.RECORD, false, parse(value, owner), null, List.of());
    }
    switch (term) {
      case "string":
        return TsType.of(TsType.Kind.STRING);
      case "number":
        return TsType.of(TsType.Kind.NUMBER);
      case "boolean":
        return TsType.of(TsType.Kind.BOOLEAN);
      case "void":
        return TsType.of(TsType.Kind.VOID);
      case "unknown":
      case "any":
        return TsType.of(TsType.Kind.UNKNOWN);
      default:
        break;
    }
    if (term.startsWith("\"")) {
      return new TsType(TsType.Kind.ENUM, false, null, null,
          List.of(term.substring(1, term.length() - 1)));
    }
    if (term.startsWith("AgentPhone.")) {
      String name = term.substring("AgentPhone.".length());
      if (isInterface(name)) {
        return new TsType(TsType.Kind.OBJECT, false, null, name, List.of());
      }
      return enumOf(text(name), "export declare const " + name + ": {", term);
    }
    int dot = term.indexOf('.');
    if (dot > 0) {
      String namespace = term.substring(0, dot);
      String text = text(namespace.equals(owner) ? owner : namespace);
      int at = text.indexOf("export declare namespace " + namespace + " {");
      if (at < 0) {
        throw new IllegalArgumentException("No namespace " + namespace + " for " + term);
      }
      return enumOf(text.substring(at), "const " + term.substring(dot + 1) + ": {", term);
    }
    throw new IllegalArgumentException("Cannot read the type " + term + " (in " + owner + ")");
  }

  private static TsType enumOf(String text, String declaration, String term) {
    int at = text.indexOf(declaration);
    if (at < 0) {
      throw new IllegalArgumentException("No enum " + declaration + " for " + term);
    }
    String block = text.substring(at, text.indexOf("};", at));
    List<String> values = new ArrayList<>();
    Matcher literal = LITERAL.matcher(block);
    while (literal.find()) {
      values.add(literal.group(1));
    }
    return new TsType(TsType.Kind.ENUM, false, null, null, List.copyOf(values));
  }

  /** The top-level alternatives of a union, leaving generics and parentheses whole. */
  private static List<String> splitUnion(String type) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '<' || c == '(') {
        depth++;
      } else if (c == '>' || c == ')') {
        depth--;
      } else if (c == '|' && depth == 0) {
        out.add(type.substring(from, i).trim());
        from = i + 1;
      }
    }
    out.add(type.substring(from).trim());
    return out;
  }

  private String text(String name) {
    Path file = files.get(name);
    if (file == null) {
      throw new IllegalArgumentException("No declaration file for " + name);
    }
    return texts.computeIfAbsent(name, n -> {
      try {
        return Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
