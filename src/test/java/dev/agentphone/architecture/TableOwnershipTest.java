package dev.agentphone.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every table has one owner, and the SQL in a package names only the tables it owns, except the
 * reads docs/architecture.md lists as exceptions. The owners and exceptions are read from the
 * tables on that page, the tables from the migrations, and the SQL from the string literals of
 * the main sources ({@code FROM}, {@code JOIN}, {@code INTO}, {@code UPDATE}, {@code DELETE FROM}).
 */
class TableOwnershipTest {
  private static final Path DOC = Path.of("docs/architecture.md");
  private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
  private static final Pattern CREATE_TABLE =
      Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?([a-z_][a-z0-9_]*)");
  private static final Pattern NAMED =
      Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE)\\s+([a-z_][a-z0-9_]*)");
  private static final Pattern CODE = Pattern.compile("`([a-z_.]+)`");

  @Test
  void everyTableHasExactlyOneDocumentedOwner() throws IOException {
    Map<String, String> owners = owners();
    assertThat(owners.keySet()).as("tables with an owner in " + DOC)
        .containsExactlyInAnyOrderElementsOf(tables());
    Set<String> packages = new TreeSet<>();
    SourceTree.main().forEach(source -> packages.add(SourceTree.relative(source.pkg())));
    assertThat(packages).as("owners are packages of the engine")
        .containsAll(new TreeSet<>(owners.values()));
  }

  @Test
  void sqlNamesOnlyTablesItsPackageOwnsOrIsAllowedToRead() throws IOException {
    Map<String, String> owners = owners();
    Map<String, Set<String>> allowed = exceptions();
    List<String> trespasses = new ArrayList<>();
    for (SourceTree.Source source : SourceTree.main()) {
      String pkg = SourceTree.relative(source.pkg());
      Matcher named = NAMED.matcher(String.join(" ", source.literals()));
      Set<String> seen = new TreeSet<>();
      while (named.find()) {
        String table = named.group(1);
        String owner = owners.get(table);
        if (owner != null && !owner.equals(pkg)
            && !allowed.getOrDefault(pkg, Set.of()).contains(table) && seen.add(table)) {
          trespasses.add(source.path() + " names " + table + " (owned by " + owner + ")");
        }
      }
    }
    assertThat(trespasses).isEmpty();
  }

  /** The tables the migrations create. */
  private static Set<String> tables() throws IOException {
    Set<String> tables = new TreeSet<>();
    try (Stream<Path> files = Files.list(MIGRATIONS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
        Matcher created = CREATE_TABLE.matcher(Files.readString(file));
        while (created.find()) {
          tables.add(created.group(1));
        }
      }
    }
    assertThat(tables).isNotEmpty();
    return tables;
  }

  /** Table → owning package, from the rows of the ownership table. */
  private static Map<String, String> owners() throws IOException {
    Map<String, String> owners = new TreeMap<>();
    for (List<String> row : rows("## Table ownership")) {
      String table = row.get(0);
      assertThat(owners.put(table, row.get(1))).as("second owner of " + table).isNull();
    }
    return owners;
  }

  /** Package → the other packages' tables it may read, from the exceptions table. */
  private static Map<String, Set<String>> exceptions() throws IOException {
    Map<String, Set<String>> allowed = new TreeMap<>();
    for (List<String> row : rows("### Documented exceptions")) {
      allowed.computeIfAbsent(row.get(0), k -> new TreeSet<>()).addAll(row.subList(1, row.size()));
    }
    return allowed;
  }

  /**
   * The rows of the first markdown table after {@code heading}: each row's code spans of its first
   * two cells (the first cell's one name, then every name in the second).
   */
  private static List<List<String>> rows(String heading) throws IOException {
    List<String> lines = Files.readAllLines(DOC);
    int at = lines.indexOf(heading);
    assertThat(at).as(heading + " in " + DOC).isNotNegative();
    List<List<String>> rows = new ArrayList<>();
    boolean inTable = false;
    for (String line : lines.subList(at + 1, lines.size())) {
      if (!line.startsWith("|")) {
        if (inTable) {
          break;
        }
        continue;
      }
      inTable = true;
      String[] cells = line.split("\\|");
      if (cells.length < 3 || cells[1].isBlank() || cells[1].contains("---")
          || !cells[1].contains("`")) {
        continue;
      }
      List<String> row = new ArrayList<>(codes(cells[1]));
      row.addAll(codes(cells[2]));
      rows.add(row);
    }
    assertThat(rows).as("rows under " + heading).isNotEmpty();
    return rows;
  }

  private static List<String> codes(String cell) {
    List<String> names = new ArrayList<>();
    Matcher code = CODE.matcher(cell);
    while (code.find()) {
      names.add(code.group(1));
    }
    return names;
  }
}
