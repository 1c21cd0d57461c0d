package dev.agentphone.agents;

import dev.agentphone.Engine;
import dev.agentphone.numbers.NumberStore;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellAgents.Provisioned;
import dev.agentphone.providers.retell.RetellClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.Set;

/** The agents domain: create, list, read, update and delete an account's agents. */
public final class AgentsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AgentsVerticle.class);
  public static final String CREATE = "agents.create";
  public static final String LIST = "agents.list";
  public static final String GET = "agents.get";
  public static final String UPDATE = "agents.update";
  public static final String DELETE = "agents.delete";
  public static final String VOICES = "agents.voices";
  /** {@code {accountId, agentId}} → {@code {agentId, retellAgentId, voiceMode}}, provisioning on demand. */
  public static final String VOICE_AGENT = "agents.voice-agent";

  /** Fields Retell holds a copy of: changing any of them re-provisions the voice agent. */
  private static final Set<String> VOICE_FIELDS = Set.of("name", "voiceMode", "modelTier",
      "systemPrompt", "beginMessage", "voice");

  /** One agent of an account; its numbers follow with {@link NumberStore#FOR_AGENTS_SQL}. */
  public static final String GET_SQL = "SELECT " + AgentStore.COLUMNS
      + " FROM agents WHERE account_id = $1 AND id = $2";

  private final Engine engine;
  private final Pool pool;
  private RetellClient retell;
  private RetellAgents voiceAgents;

  public AgentsVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
  }

  @Override
  public Future<?> start() {
    retell = RetellClient.forEngine(vertx, engine);
    voiceAgents = new RetellAgents(retell, engine.config().publicUrl(), engine.llmSocketUrls());
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

  /**
   * The agent row and its Retell objects commit together: a provider failure rolls the row back
   * (502), and a failure after provisioning deletes what was provisioned.
   */
  private Future<JsonObject> create(JsonObject request) {
    String accountId = request.getString("accountId");
    return pool.withTransaction(tx -> AgentStore.insert(tx, accountId,
            request.getJsonObject("agent"),
            engine.config().string("voice.defaultVoice", "11labs-Adrian"))
        .compose(agent -> voiceAgents.create(agent).compose(provisioned ->
            VoiceAgentStore.save(tx, accountId, agent.getString("id"), provisioned)
                .recover(failure -> undo(provisioned, failure))
                .map(agent))));
  }

  private <T> Future<T> undo(Provisioned provisioned, Throwable failure) {
    return voiceAgents.delete(provisioned).transform(done -> {
      if (done.failed()) {
        LOG.warn("could not delete voice agent {} after a failed change", provisioned.agentId(),
            done.cause());
      }
      return Future.failedFuture(failure);
    });
  }

  /** The agent's Retell agent, provisioned now if it has none yet (e.g. the signup agent). */
  private Future<JsonObject> voiceAgent(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    return pool.withTransaction(tx -> tx.preparedQuery("SELECT " + AgentStore.COLUMNS
            + " FROM agents WHERE account_id = $1 AND id = $2 FOR NO KEY UPDATE")
        .execute(Tuple.of(accountId, agentId))
        .compose(rows -> {
          JsonObject agent = AgentStore.toJson(found(rows).iterator().next(), new JsonArray());
          return VoiceAgentStore.find(tx, accountId, agentId).compose(existing -> {
            if (existing != null) {
              return Future.succeededFuture(existing);
            }
            return voiceAgents.create(agent).compose(provisioned ->
                VoiceAgentStore.save(tx, accountId, agentId, provisioned)
                    .recover(failure -> undo(provisioned, failure))
                    .map(provisioned));
          }).map(p -> new JsonObject().put("agentId", agentId).put("retellAgentId", p.agentId())
              .put("voiceMode", agent.getString("voiceMode"))
              .put("beginMessage", agent.getString("beginMessage"))
              .put("voice", agent.getString("voice")));
        }));
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
    boolean voiceChanged = changes.fieldNames().stream().anyMatch(VOICE_FIELDS::contains);
    String agentId = request.getString("agentId");
    Future<RowSet<Row>> updated = pool.withTransaction(tx -> tx.preparedQuery(
            "UPDATE agents SET " + String.join(", ", sets)
            + " WHERE account_id = $1 AND id = $2 RETURNING " + AgentStore.COLUMNS)
        .execute(values)
        .compose(rows -> {
          found(rows);
          if (!voiceChanged) {
            return Future.succeededFuture(rows);
          }
          JsonObject agent = AgentStore.toJson(rows.iterator().next(), new JsonArray());
          return VoiceAgentStore.find(tx, accountId, agentId).compose(before -> {
            if (before == null) {
              // never provisioned (signup agent): it will be when it first takes a call
              return Future.succeededFuture(rows);
            }
            return voiceAgents.update(before, agent).compose(after ->
                VoiceAgentStore.save(tx, accountId, agentId, after).map(v -> {
                  // the unused LLM goes once this transaction has committed
                  tx.transaction().completion().onSuccess(c -> voiceAgents.retire(before, after)
                      .onFailure(e -> LOG.warn("could not delete unused voice LLM", e)));
                  return rows;
                }));
          });
        }));
    return updated.compose(rows -> withNumbers(accountId, rows))
        .map(agents -> agents.getJsonObject(0));
  }

  /** Numbers, conversations and calls keep their history; their agent reference becomes null. */
  private Future<JsonObject> delete(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    return pool.withTransaction(tx -> VoiceAgentStore.find(tx, accountId, agentId)
        .compose(provisioned -> tx.preparedQuery("DELETE FROM agents WHERE account_id = $1 "
                + "AND id = $2 RETURNING id, name")
            .execute(Tuple.of(accountId, agentId))
            .compose(rows -> {
              Row row = found(rows).iterator().next();
              JsonObject answer = new JsonObject().put("success", true)
                  .put("id", row.getString("id")).put("name", row.getString("name"));
              // a provider failure rolls the delete back, so a retry finds the agent again
              return provisioned == null ? Future.succeededFuture(answer)
                  : voiceAgents.delete(provisioned).map(answer);
            })));
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
