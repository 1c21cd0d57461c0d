package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * One offset page of a list: its rows and how many the whole list has, read with two statements
 * run side by side. Answered as the contract's {@code {data, hasMore, total}}.
 */
public record Page(List<Row> rows, long total, int offset) {

  /**
   * Runs {@code select} (which must end with {@code LIMIT $n OFFSET $n+1}, after the filter's
   * parameters) and {@code count} (the same filter, answering one number) with {@code filter}'s
   * values.
   */
  public static Future<Page> fetch(SqlClient db, String select, String count, Tuple filter,
      int limit, int offset) {
    Tuple paged = Tuple.tuple();
    for (int i = 0; i < filter.size(); i++) {
      paged.addValue(filter.getValue(i));
    }
    paged.addValue(limit).addValue(offset);
    Future<List<Row>> rows = db.preparedQuery(select).execute(paged).map(found -> {
      List<Row> list = new ArrayList<>();
      found.forEach(list::add);
      return list;
    });
    Future<Long> total = db.preparedQuery(count).execute(filter)
        .map(found -> found.iterator().next().getLong(0));
    return Future.all(rows, total).map(both -> new Page(rows.result(), total.result(), offset));
  }

  /** {@code {data, hasMore, total}} for the page's items, already turned into answers. */
  public JsonObject json(JsonArray data) {
    return json(data, total, offset);
  }

  public static JsonObject json(JsonArray data, long total, int offset) {
    return new JsonObject().put("data", data)
        .put("hasMore", offset + data.size() < total)
        .put("total", total);
  }

  /** The page's rows turned into answers one by one. */
  public JsonArray map(java.util.function.Function<Row, Object> answer) {
    JsonArray data = new JsonArray();
    rows.forEach(row -> data.add(answer.apply(row)));
    return data;
  }
}
