package dev.agentphone.platform;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/** Pieces of SQL text built from request input, with the values always passed as parameters. */
public final class SqlText {
  private SqlText() {
  }

  /** An API field and the column that stores it. */
  public record Column(String field, String column) {
  }

  /**
   * A {@code LIKE}/{@code ILIKE} pattern matching {@code text} anywhere, with the pattern's own
   * characters ({@code \\}, {@code %}, {@code _}) escaped so they match only themselves.
   */
  public static String containing(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  /**
   * The {@code SET} list of a PATCH: {@code column = $n} for every field present in
   * {@code changes} (also when null: a field sent as null is set to null), then
   * {@code updated_at = now()}. Each value is appended to {@code values}, so {@code $n} continues
   * the parameters already there.
   */
  public static String assignments(JsonObject changes, List<Column> columns, Tuple values) {
    List<String> sets = new ArrayList<>();
    for (Column column : columns) {
      if (changes.containsKey(column.field())) {
        values.addValue(changes.getValue(column.field()));
        sets.add(column.column() + " = $" + values.size());
      }
    }
    sets.add("updated_at = now()");
    return String.join(", ", sets);
  }
}
