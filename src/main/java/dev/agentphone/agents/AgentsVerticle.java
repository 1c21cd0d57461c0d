package dev.agentphone.agents;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.SqlText;
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

import java.util.function.Function;

/** The agents domain: create, list, read, update and delete an account's agents. */
final class AgentsVerticle extends VerticleBase {
  static final String GET_SQL = AgentReads.GET_SQL;

  static final String AUDITED = "agent";

  private final Pool pool;
  private final AgentReads reads;
  private final AgentWrites writes;
  private final RetellClient retell;
  private final VoiceProvisioning provisioning;
  private final ToolTargets toolTargets;

  AgentsVerticle(Pool pool, AgentReads reads, AgentWrites writes, RetellClient retell,
      VoiceProvisioning provisioning, ToolTargets toolTargets) {
    this.pool = pool;
    this.reads = reads;
    this.writes = writes;
    this.retell = retell;
    this.provisioning = provisioning;
    this.toolTargets = toolTargets;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, AgentsApi.CREATE, this::create);
    Bus.answer(vertx, AgentsApi.LIST, this::list);
    Bus.answer(vertx, AgentsApi.GET, this::get);
    Bus.answer(vertx, AgentsApi.UPDATE, this::update);
    Bus.answer(vertx, AgentsApi.DELETE, this::delete);
    Bus.answer(vertx, AgentsApi.VOICES, request -> retell.listVoices()
        .map(voices -> new JsonObject().put("data", voices)));
    Bus.answer(vertx, AgentsApi.VOICE_AGENT, this::voiceAgent);
    Bus.answer(vertx, AgentsApi.SOCKET_AGENT, request ->
        VoiceAgentStore.owner(pool, request.getString("agentId")));
    return Future.succeededFuture();
  }

  /** Provisioned at Retell first, then stored: a provider failure stores nothing (502). */
  private Future<JsonObject> create(JsonObject request) {
    JsonObject agent = request.getJsonObject("agent");
    return toolTargets.check(agent.getJsonArray("customTools")).compose(v ->
        provisioning.create(request, writes.draft(agent)));
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
    return Page.fetch(pool, "SELECT " + AgentWrites.COLUMNS + " FROM agents WHERE account_id = $1 "
                + "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3",
            "SELECT count(*) FROM agents WHERE account_id = $1", Tuple.of(accountId),
            request.getInteger("limit"), request.getInteger("offset"))
        .compose(page -> withNumbers(accountId, page.rows())
            .map(agents -> new JsonObject().put("data", agents).put("total", page.total())));
  }

  private Future<JsonObject> get(JsonObject request) {
    return reads.get(request.getString("accountId"), request.getString("agentId"));
  }

  private Future<JsonObject> update(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    JsonObject changes = request.getJsonObject("changes");
    Tuple values = Tuple.of(accountId, agentId);
    String sets = SqlText.assignments(changes, AgentWrites.FIELDS, values);
    Function<SqlClient, Future<RowSet<Row>>> update = tx -> tx.preparedQuery(GET_SQL
            + " FOR UPDATE").execute(Tuple.of(accountId, agentId))
        .compose(before -> tx.preparedQuery("UPDATE agents SET " + sets
                + " WHERE account_id = $1 AND id = $2 RETURNING " + AgentWrites.COLUMNS)
            .execute(values)
            .compose(after -> !after.iterator().hasNext() ? Future.succeededFuture(after)
                : AuditTrail.updated(tx, request, AUDITED, agentId, audited(found(before)),
                    audited(after)).map(after)));
    Function<SqlClient, Future<RowSet<Row>>> write = client ->
        client instanceof Pool p ? p.withTransaction(update::apply) : update.apply(client);
    boolean voiceChanged = changes.fieldNames().stream()
        .anyMatch(VoiceProvisioning.VOICE_FIELDS::contains);
    Future<RowSet<Row>> updated = toolTargets.check(changes.getJsonArray("customTools"))
        .compose(v -> voiceChanged ? provisioning.update(accountId, agentId, changes, write)
            : write.apply(pool).map(AgentsVerticle::found));
    return updated.compose(rows -> withNumbers(accountId, rows))
        .map(agents -> agents.getJsonObject(0));
  }

  /** Numbers, conversations and calls keep their history; their agent reference becomes null. */
  private Future<JsonObject> delete(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    return provisioning.delete(accountId, agentId, client -> pool.withTransaction(tx ->
            tx.preparedQuery("DELETE FROM agents WHERE account_id = $1 AND id = $2 RETURNING "
                    + AgentWrites.COLUMNS)
                .execute(Tuple.of(accountId, agentId))
                .compose(rows -> !rows.iterator().hasNext() ? Future.succeededFuture(rows)
                    : AuditTrail.deleted(tx, request, AUDITED, agentId, audited(rows))
                        .map(rows))))
        .map(rows -> {
          Row row = found(rows).iterator().next();
          return new JsonObject().put("success", true)
              .put("id", row.getString("id")).put("name", row.getString("name"));
        });
  }

  /** An agent as the audit log compares it: its row, without the numbers it lists. */
  static JsonObject audited(Iterable<Row> rows) {
    return AgentWrites.toJson(rows.iterator().next(), new JsonArray());
  }

  /** Another request kept changing the agent's voice objects for longer than we wait. */
  static ApiError busy() {
    return ApiError.conflict("The agent is being changed by another request; try again in a "
        + "moment");
  }

  static <T extends Iterable<Row>> T found(T rows) {
    return AgentReads.found(rows);
  }

  private Future<JsonArray> withNumbers(String accountId, Iterable<Row> rows) {
    return reads.withNumbers(accountId, rows);
  }
}
