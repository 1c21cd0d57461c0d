package dev.agentphone.architecture;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structure docs/architecture.md describes, checked on the main sources: packages depend on
 * each other without cycles (each Java package, and each top-level package with its
 * subpackages), only the start-up code in {@code dev.agentphone} knows it, no source file is
 * longer than 400 lines, and nothing keeps a registry in a static field or Vert.x shared data.
 */
class ArchitectureTest {
  private static final int MAX_LINES = 400;
  /** A static field holding a new (mutable) map: {@code static final Map<K, V> X = new …}. */
  private static final java.util.regex.Pattern STATIC_MAP = java.util.regex.Pattern.compile(
      "\\bstatic\\s+(final\\s+)?[\\w.]*Map<[^;=()]*>\\s+\\w+\\s*=\\s*new\\b");
  private final List<SourceTree.Source> sources = SourceTree.main();

  @Test
  void packagesDependOnEachOtherWithoutCycles() {
    assertThat(cycles(UnaryOperator.identity())).as("package import cycles").isEmpty();
  }

  @Test
  void topLevelPackagesDependOnEachOtherWithoutCycles() {
    assertThat(cycles(ArchitectureTest::topLevel)).as("top-level package import cycles")
        .isEmpty();
  }

  @Test
  void nothingOutsideTheStartUpCodeUsesIt() {
    List<String> users = new ArrayList<>();
    for (SourceTree.Source source : sources) {
      if (!source.pkg().equals(SourceTree.ROOT_PACKAGE)
          && source.uses().contains(SourceTree.ROOT_PACKAGE)) {
        users.add(source.path().toString());
      }
    }
    assertThat(users).as("files outside " + SourceTree.ROOT_PACKAGE + " that use it").isEmpty();
  }

  @Test
  void noMainSourceFileIsLongerThan400Lines() {
    List<String> long_ = new ArrayList<>();
    for (SourceTree.Source source : sources) {
      if (source.lines() > MAX_LINES) {
        long_.add(source.path() + " (" + source.lines() + " lines)");
      }
    }
    assertThat(long_).isEmpty();
  }

  @Test
  void nothingKeepsARegistryInStaticStateOrSharedData() throws Exception {
    List<String> found = new ArrayList<>();
    for (SourceTree.Source source : sources) {
      List<String> lines = java.nio.file.Files.readAllLines(source.path());
      for (int i = 0; i < lines.size(); i++) {
        if (STATIC_MAP.matcher(lines.get(i)).find() || lines.get(i).contains("sharedData()")) {
          found.add(source.path() + ":" + (i + 1) + ": " + lines.get(i).strip());
        }
      }
    }
    assertThat(found).as("static or shared-data registries").isEmpty();
  }

  private static String topLevel(String pkg) {
    String[] parts = SourceTree.relative(pkg).split("\\.");
    return parts[0].isEmpty() ? pkg : SourceTree.ROOT_PACKAGE + "." + parts[0];
  }

  /** The dependency graph with packages grouped by {@code group}, and its cycles. */
  private List<List<String>> cycles(UnaryOperator<String> group) {
    Map<String, Set<String>> edges = new TreeMap<>();
    for (SourceTree.Source source : sources) {
      String from = group.apply(source.pkg());
      Set<String> targets = edges.computeIfAbsent(from, k -> new TreeSet<>());
      for (String used : source.uses()) {
        String to = group.apply(used);
        if (!to.equals(from)) {
          targets.add(to);
        }
      }
    }
    return new Tarjan(edges).cycles();
  }

  /** Strongly connected components of more than one node: every import cycle. */
  private static final class Tarjan {
    private final Map<String, Set<String>> edges;
    private final Map<String, Integer> index = new TreeMap<>();
    private final Map<String, Integer> low = new TreeMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<List<String>> cycles = new ArrayList<>();

    Tarjan(Map<String, Set<String>> edges) {
      this.edges = edges;
    }

    List<List<String>> cycles() {
      for (String node : edges.keySet()) {
        if (!index.containsKey(node)) {
          visit(node);
        }
      }
      return cycles;
    }

    private void visit(String node) {
      index.put(node, index.size());
      low.put(node, index.get(node));
      stack.push(node);
      onStack.add(node);
      for (String next : edges.getOrDefault(node, Set.of())) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(node, Math.min(low.get(node), low.get(next)));
        } else if (onStack.contains(next)) {
          low.put(node, Math.min(low.get(node), index.get(next)));
        }
      }
      if (low.get(node).equals(index.get(node))) {
        List<String> component = new ArrayList<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(node));
        if (component.size() > 1) {
          cycles.add(component);
        }
      }
    }
  }
}
