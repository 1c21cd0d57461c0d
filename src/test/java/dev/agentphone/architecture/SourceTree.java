package dev.agentphone.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The engine's main sources as text: each file's package, the packages of ours it uses (imports
 * and fully qualified names in code), its string literals and its length. Read with plain
 * regular expressions: the sources follow one style, which is enough to see their structure.
 */
final class SourceTree {
  static final String ROOT_PACKAGE = "dev.agentphone";
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?(dev\\.agentphone(?:\\.\\w+)*);", Pattern.MULTILINE);
  private static final Pattern QUALIFIED =
      Pattern.compile("(?<![\\w.])(dev\\.agentphone(?:\\.[a-z]\\w*)*)\\.[A-Z]");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

  /** One source file. */
  record Source(Path path, String pkg, Set<String> uses, List<String> literals, long lines) {
  }

  private SourceTree() {
  }

  static List<Source> main() {
    List<Source> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.add(read(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (sources.isEmpty()) {
      throw new IllegalStateException("no sources under " + MAIN.toAbsolutePath());
    }
    return sources;
  }

  private static Source read(Path file) throws IOException {
    String text = Files.readString(file);
    Matcher pkg = PACKAGE.matcher(text);
    if (!pkg.find()) {
      throw new IllegalStateException(file + " has no package");
    }
    Set<String> uses = new TreeSet<>();
    Matcher imports = IMPORT.matcher(text);
    while (imports.find()) {
      uses.add(packageOf(imports.group(1)));
    }
    String code = withoutComments(text);
    List<String> literals = new ArrayList<>();
    Matcher literal = LITERAL.matcher(code);
    while (literal.find()) {
      literals.add(literal.group(1));
    }
    Matcher qualified = QUALIFIED.matcher(LITERAL.matcher(code).replaceAll("\"\"")
        .replaceAll("(?m)^(package|import) .*$", ""));
    while (qualified.find()) {
      uses.add(qualified.group(1));
    }
    uses.remove(pkg.group(1));
    long lines = text.lines().count();
    return new Source(file, pkg.group(1), uses, literals, lines);
  }

  /** The package of a class name: everything before the first capitalised segment. */
  private static String packageOf(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("\\.")) {
      if (Character.isUpperCase(part.charAt(0))) {
        break;
      }
      parts.add(part);
    }
    return String.join(".", parts);
  }

  /** The text with comments blanked out (their newlines kept). */
  private static String withoutComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        int end = i + 1;
        while (end < text.length() && text.charAt(end) != '"') {
          end += text.charAt(end) == '\\' ? 2 : 1;
        }
        out.append(text, i, Math.min(end + 1, text.length()));
        i = end + 1;
      } else if (text.startsWith("//", i)) {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
      } else if (text.startsWith("/*", i)) {
        int end = text.indexOf("*/", i + 2);
        end = end < 0 ? text.length() : end + 2;
        text.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
        i = end;
      } else if (c == '\'') {
        int end = text.indexOf('\'', i + (text.charAt(i + 1) == '\\' ? 3 : 2));
        out.append(text, i, end + 1);
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** {@code dev.agentphone.providers.twilio} → {@code providers.twilio}; the root is {@code ""}. */
  static String relative(String pkg) {
    return pkg.equals(ROOT_PACKAGE) ? "" : pkg.substring(ROOT_PACKAGE.length() + 1);
  }
}
