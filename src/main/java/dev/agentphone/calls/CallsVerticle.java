package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.numbers.NumbersVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.RetellClient;
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

/**
 * The calls domain: placing outbound and web calls ({@link CallPlacement}), listing and reading
 * calls and transcripts, and taking Retell's call events ({@link CallAdoption} finds the call),
 * which it hands to the call's session.
 */
public final class CallsVerticle extends VerticleBase {
  public static final String CREATE = "calls.create";
  public static final String CREATE_WEB = "calls.create-web";
  public static final String LIST = "calls.list";
  public static final String GET = "calls.get";
  public static final String TRANSCRIPT = "calls.transcript";
  public static final String END = "calls.end";
  public static final String RETELL_EVENT = "calls.retell-event";
  /** {@code {retellCallId}} → {@code {callId, agentId}} or null. */
  public static final String LOCATE = "calls.locate";
  /**
   * {@code {retellCallId, agentId}} → {@code {callId}}: a call first seen on an LLM socket with
   * the agent's secret, confirmed with Retell and found or created from Retell's record of it.
   */
  public static final String CONFIRM = "calls.confirm";
  /** {@code {accountId, callId, after}} → {@code {status, direction, durationSeconds, turns}}. */
  public static final String REPLAY = "calls.replay";
  /** Sandbox: {@code {toNumber}} → {@code {retellAgentId, numberId}} ready for an inbound call. */
  public static final String PREPARE_INBOUND = "calls.prepare-inbound";

  private final Engine engine;
  private final Pool pool;
  private final Plans plans;
  private CallSessions sessions;
  private CallAdoption adoption;

  public CallsVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
    this.plans = new Plans(engine.config());
  }

  @Override
  public Future<?> start() {
    RetellClient retell = RetellClient.forEngine(vertx, engine);
    sessions = CallSessions.of(engine);
    sessions.startHeartbeat();
    adoption = new CallAdoption(engine, plans, retell);
    CallPlacement placement = new CallPlacement(engine, plans, retell);
    RetellNumbers numbers = new RetellNumbers(engine, retell);
    Bus.answer(vertx, CREATE, placement::create);
    Bus.answer(vertx, CREATE_WEB, placement::createWeb);
    Bus.answer(vertx, LIST, this::list);
    Bus.answer(vertx, GET, this::get);
    Bus.answer(vertx, TRANSCRIPT, this::transcript);
    Bus.answer(vertx, END, this::end);
    Bus.answer(vertx, RETELL_EVENT, this::retellEvent);
    Bus.answer(vertx, LOCATE, request -> CallStore.byRetellId(pool,
            request.getString("retellCallId"))
        .map(row -> row == null ? null : new JsonObject().put("callId", row.getString("id"))
            .put("agentId", row.getString("agent_id"))));
    Bus.answer(vertx, CONFIRM, request -> adoption.confirm(request.getString("retellCallId"),
        request.getString("agentId")));
    Bus.answer(vertx, REPLAY, this::replay);
    Bus.answer(vertx, PREPARE_INBOUND, numbers::prepareInbound);
    vertx.eventBus().<JsonObject>localConsumer(NumbersVerticle.CHANGED,
        m -> numbers.changed(m.body()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    CallSessions.forget(engine);
    return Future.succeededFuture();
  }

  // ---- reading calls ----

  private Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    List<String> where = new ArrayList<>(List.of("account_id = $1"));
    Tuple values = Tuple.of(accountId);
    Future<Void> scope = Future.succeededFuture();
    if (request.getString("agentId") != null) {
      values.addValue(request.getString("agentId"));
      where.add("agent_id = $" + values.size());
      scope = exists("agents", accountId, request.getString("agentId"), "Agent");
    }
    if (request.getString("numberId") != null) {
      values.addValue(request.getString("numberId"));
      where.add("phone_number_id = $" + values.size());
      scope = exists("phone_numbers", accountId, request.getString("numberId"), "Number");
    }
    for (String[] filter : new String[][] {{"status", "status"}, {"direction", "direction"},
        {"type", "type"}}) {
      if (request.getString(filter[0]) != null) {
        values.addValue(request.getString(filter[0]));
        where.add(filter[1] + " = $" + values.size());
      }
    }
    if (request.getString("search") != null) {
      values.addValue("%" + request.getString("search").replace("\\", "\\\\")
          .replace("%", "\\%").replace("_", "\\_") + "%");
      where.add("(from_number LIKE $" + values.size() + " OR to_number LIKE $" + values.size() + ")");
    }
    String filter = String.join(" AND ", where);
    int limit = request.getInteger("limit");
    int offset = request.getInteger("offset");
    Tuple paged = Tuple.tuple();
    for (int i = 0; i < values.size(); i++) {
      paged.addValue(values.getValue(i));
    }
    paged.addValue(limit).addValue(offset);
    return scope.compose(v -> Future.all(
        pool.preparedQuery("SELECT " + CallStore.COLUMNS + " FROM calls WHERE " + filter
                + " ORDER BY started_at DESC, id DESC LIMIT $" + (values.size() + 1)
                + " OFFSET $" + (values.size() + 2))
            .execute(paged),
        pool.preparedQuery("SELECT count(*) FROM calls WHERE " + filter).execute(values)))
        .map(both -> {
          RowSet<Row> rows = both.resultAt(0);
          long total = both.<RowSet<Row>>resultAt(1).iterator().next().getLong(0);
          JsonArray data = new JsonArray();
          rows.forEach(row -> data.add(CallStore.summary(row)));
          return new JsonObject().put("data", data).put("hasMore", offset + rows.size() < total)
              .put("total", total);
        });
  }

  private Future<Void> exists(String table, String accountId, String id, String what) {
    return pool.preparedQuery("SELECT 1 FROM " + table + " WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, id))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(what);
          }
          return null;
        });
  }

  private Future<Row> found(JsonObject request) {
    return CallStore.find(pool, request.getString("accountId"), request.getString("callId"))
        .map(row -> {
          if (row == null) {
            throw ApiError.notFound("Call");
          }
          return row;
        });
  }

  private Future<JsonObject> get(JsonObject request) {
    return found(request).compose(row -> TurnStore.list(pool, row.getString("id"), -1)
        .map(turns -> CallStore.detail(row).put("transcripts", TurnStore.entries(turns))));
  }

  private Future<JsonObject> transcript(JsonObject request) {
    return found(request).compose(row -> TurnStore.list(pool, row.getString("id"), -1)
        .map(turns -> new JsonObject().put("callId", row.getString("id"))
            .put("status", row.getString("status"))
            .put("transcripts", TurnStore.entries(turns))));
  }

  private Future<JsonObject> replay(JsonObject request) {
    return found(request).compose(row -> TurnStore.list(pool, row.getString("id"),
            request.getInteger("after", -1))
        .map(turns -> new JsonObject()
            .put("status", row.getString("status"))
            .put("direction", row.getString("direction"))
            .put("live", CallStore.live(row.getString("status")))
            .put("durationSeconds", row.getInteger("duration_seconds"))
            .put("turns", turns)));
  }

  private Future<JsonObject> end(JsonObject request) {
    return found(request).compose(row -> {
      if (!CallStore.live(row.getString("status"))) {
        return Future.failedFuture(ApiError.conflict("Call is not in progress"));
      }
      return sessions.deliver(row.getString("id"), new JsonObject().put("op", "end"))
          .compose(v -> CallStore.byId(pool, row.getString("id")))
          .map(CallStore::summary);
    });
  }

  // ---- Retell's events ----

  /** Handles one verified Retell webhook; repeated deliveries change nothing. */
  private Future<JsonObject> retellEvent(JsonObject request) {
    String event = request.getString("event", "");
    JsonObject call = request.getJsonObject("call", new JsonObject());
    return adoption.adopt(call).compose(row -> {
      if (row == null) {
        return Future.succeededFuture(new JsonObject().put("handled", false));
      }
      String id = row.getString("id");
      Future<?> handled = switch (event) {
        case "call_started" -> CallStore.live(row.getString("status")) ? sessions.ensure(id)
            : Future.succeededFuture();
        case "transcript_updated" -> CallStore.live(row.getString("status"))
            ? sessions.deliver(id, new JsonObject().put("op", "transcript")
                .put("transcript", call.getJsonArray("transcript_object")))
            : Future.succeededFuture();
        case "call_ended" -> row.getOffsetDateTime("ended_at") == null
            ? sessions.deliver(id, new JsonObject().put("op", "ended").put("call", call))
            : Future.succeededFuture();
        case "call_analyzed" -> analyzed(id, call.getJsonObject("call_analysis"));
        default -> Future.succeededFuture();
      };
      return handled.map(v -> new JsonObject().put("handled", true).put("callId", id));
    });
  }

  private Future<Void> analyzed(String callId, JsonObject analysis) {
    if (analysis == null) {
      return Future.succeededFuture();
    }
    Object successful = analysis.getValue("call_successful");
    return pool.preparedQuery("UPDATE calls SET summary = coalesce($2, summary), "
            + "user_sentiment = coalesce($3, user_sentiment), "
            + "call_successful = coalesce($4, call_successful) WHERE id = $1")
        .execute(Tuple.of(callId, analysis.getString("call_summary"),
            analysis.getString("user_sentiment"), successful instanceof Boolean b ? b : null))
        .mapEmpty();
  }
}
