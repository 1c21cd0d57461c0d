package dev.agentphone.agents;

import dev.agentphone.Engine;
import dev.agentphone.numbers.NumberStore;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The agents domain: create, list, read, update and delete an account's agents. */
public final class AgentsVerticle extends VerticleBase {
  public static final String CREATE = "agents.create";
  public static final String LIST = "agents.list";
  public static final String GET = "agents.get";
  public static final String UPDATE = "agents.update";
  public static final String DELETE = "agents.delete";
  public static final String VOICES = "agents.voices";
  /** {@code {accountId, agentId}} → {@code {agentId, retellAgentId, voiceMode}}, provisioning on demand. */
  public static final String VOICE_AGENT = "agents.voice-agent";

  /** One agent of an account; its numbers follow with {@link NumberStore#FOR_AGENTS_SQL}. */
  public static final String GET_SQL = "SELECT " + AgentStore.COLUMNS
      + " FROM agents WHERE account_id = $1 AND id = $2";

  private final Engine engine;
  private final Pool pool;
  private RetellClient retell;
  private VoiceProvisioning provisioning;

  public AgentsVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
  }

  @Override
  public Future<?> start() {
    retell = RetellClient.forEngine(vertx, engine);
    provisioning = new VoiceProvisioning(vertx, pool, retell,
        new RetellAgents(retell, engine.config().publicUrl(), engine.llmSocketUrls()),
        engine.config().longValue("retell.requestTimeoutMillis", 10_000));
    Bus.answer(vertx, CREATE, this::create);
    Bus.answer(vertx, LIST, this::list);
    Bus.answer(vertx, GET, this::get);
    Bus.answer(vertx, UPDATE, this::update);
    Bus.answer(vertx, DELETE, this::delete);
    Bus.answer(vertx, VOICES, request -> retell.listVoices()
        .map(voices -> new JsonObject().put("data", voices)));
    Bus.answer(vertx, VOICE_AGENT, this::voiceAgent);
    return Future.succeededFuture();
  }

  /** Provisioned at Retell first, then stored: a provider failure stores nothing (502). */
  private Future<JsonObject> create(JsonObject request) {
    return provisioning.create(request.getString("accountId"), AgentStore.draft(
        request.getJsonObject("agent"),
        engine.config().string("voice.defaultVoice", "11labs-Adrian")));
  }

  /** The agent's Retell agent, provisioned now if it has none yet (e.g. the signup agent). */
  private Future<JsonObject> voiceAgent(JsonObject request) {
    String agentId = request.getString("agentId");
    return provisioning.ensure(request.getString("accountId"), agentId).map(ready ->
        new JsonObject().put("agentId", agentId)
            .put("retellAgentId", ready.provisioned().agentId())
            .put("voiceMode", ready.agent().getString("voiceMode"))
            .put("beginMessage", ready.agent().getString("beginMessage"))
            .put("voice", ready.agent().getString("voice")));
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
    String agentId = request.getString("agentId");
    Function<SqlClient, Future<RowSet<Row>>> write = client -> client.preparedQuery(
            "UPDATE agents SET " + String.join(", ", sets)
            + " WHERE account_id = $1 AND id = $2 RETURNING " + AgentStore.COLUMNS)
        .execute(values);
    boolean voiceChanged = changes.fieldNames().stream()
        .anyMatch(VoiceProvisioning.VOICE_FIELDS::contains);
    Future<RowSet<Row>> updated = voiceChanged
        ? provisioning.update(accountId, agentId, changes, write)
        : write.apply(pool).map(AgentsVerticle::found);
    return updated.compose(rows -> withNumbers(accountId, rows))
        .map(agents -> agents.getJsonObject(0));
  }

  /** Numbers, conversations and calls keep their history; their agent reference becomes null. */
  private Future<JsonObject> delete(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    return provisioning.delete(accountId, agentId, client -> client.preparedQuery(
                "DELETE FROM agents WHERE account_id = $1 AND id = $2 RETURNING id, name")
            .execute(Tuple.of(accountId, agentId)))
        .map(rows -> {
          Row row = found(rows).iterator().next();
          return new JsonObject().put("success", true)
              .put("id", row.getString("id")).put("name", row.getString("name"));
        });
  }

  /** Another request kept changing the agent's voice objects for longer than we wait. */
  static ApiError busy() {
    return ApiError.conflict("The agent is being changed by another request; try again in a "
        + "moment");
  }

  static RowSet<Row> found(RowSet<Row> rows) {
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
