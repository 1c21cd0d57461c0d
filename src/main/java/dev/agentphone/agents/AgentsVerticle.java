package dev.agentphone.agents;

import dev.agentphone.Engine;
import dev.agentphone.numbers.NumberStore;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The agents domain: create, list, read, update and delete an account's agents. */
public final class AgentsVerticle extends VerticleBase {
  public static final String CREATE = "agents.create";
  public static final String LIST = "agents.list";
  public static final String GET = "agents.get";
  public static final String UPDATE = "agents.update";
  public static final String DELETE = "agents.delete";
  public static final String VOICES = "agents.voices";

  /** One agent of an account; its numbers follow with {@link NumberStore#FOR_AGENTS_SQL}. */
  public static final String GET_SQL = "SELECT " + AgentStore.COLUMNS
      + " FROM agents WHERE account_id = $1 AND id = $2";

  private final Engine engine;
  private final Pool pool;

  public AgentsVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, CREATE, this::create);
    Bus.answer(vertx, LIST, this::list);
    Bus.answer(vertx, GET, this::get);
    Bus.answer(vertx, UPDATE, this::update);
    Bus.answer(vertx, DELETE, this::delete);
    Bus.answer(vertx, VOICES, request -> Future.succeededFuture(
        new JsonObject().put("data", VoiceCatalog.sandboxVoices())));
    return Future.succeededFuture();
  }

  private Future<JsonObject> create(JsonObject request) {
    return AgentStore.insert(pool, request.getString("accountId"), request.getJsonObject("agent"),
        engine.config().string("voice.defaultVoice", "11labs-Adrian"));
  }

  private Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    int limit = request.getInteger("limit");
    int offset = request.getInteger("offset");
    Future<RowSet<Row>> page = pool.preparedQuery("SELECT " + AgentStore.COLUMNS
            + " FROM agents WHERE account_id = $1 ORDER BY created_at DESC, id DESC "
            + "LIMIT $2 OFFSET $3")
        .execute(Tuple.of(accountId, limit, offset));
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM agents WHERE account_id = $1")
        .execute(Tuple.of(accountId))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(page, total)
        .compose(both -> withNumbers(accountId, page.result()))
        .map(agents -> new JsonObject().put("data", agents).put("total", total.result()));
  }

  private Future<JsonObject> get(JsonObject request) {
    String accountId = request.getString("accountId");
    return pool.preparedQuery(GET_SQL)
        .execute(Tuple.of(accountId, request.getString("agentId")))
        .compose(rows -> withNumbers(accountId, found(rows)))
        .map(agents -> agents.getJsonObject(0));
  }

  private Future<JsonObject> update(JsonObject request) {
    String accountId = request.getString("accountId");
    JsonObject changes = request.getJsonObject("changes");
    List<String> sets = new ArrayList<>();
    Tuple values = Tuple.of(accountId, request.getString("agentId"));
    for (String[] field : AgentStore.FIELDS) {
      if (changes.containsKey(field[0])) {
        values.addValue(changes.getValue(field[0]));
        sets.add(field[1] + " = $" + values.size());
      }
    }
    sets.add("updated_at = now()");
    return pool.preparedQuery("UPDATE agents SET " + String.join(", ", sets)
            + " WHERE account_id = $1 AND id = $2 RETURNING " + AgentStore.COLUMNS)
        .execute(values)
        .compose(rows -> withNumbers(accountId, found(rows)))
        .map(agents -> agents.getJsonObject(0));
  }

  /** Numbers, conversations and calls keep their history; their agent reference becomes null. */
  private Future<JsonObject> delete(JsonObject request) {
    return pool.preparedQuery("DELETE FROM agents WHERE account_id = $1 AND id = $2 "
            + "RETURNING id, name")
        .execute(Tuple.of(request.getString("accountId"), request.getString("agentId")))
        .map(rows -> {
          Row row = found(rows).iterator().next();
          return new JsonObject().put("success", true).put("id", row.getString("id"))
              .put("name", row.getString("name"));
        });
  }

  private static RowSet<Row> found(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw ApiError.notFound("Agent");
    }
    return rows;
  }

  private Future<JsonArray> withNumbers(String accountId, RowSet<Row> rows) {
    List<String> ids = new ArrayList<>();
    rows.forEach(row -> ids.add(row.getString("id")));
    return NumberStore.forAgents(pool, accountId, ids).map((Map<String, JsonArray> numbers) -> {
      JsonArray agents = new JsonArray();
      rows.forEach(row -> agents.add(AgentStore.toJson(row,
          numbers.getOrDefault(row.getString("id"), new JsonArray()))));
      return agents;
    });
  }
}
