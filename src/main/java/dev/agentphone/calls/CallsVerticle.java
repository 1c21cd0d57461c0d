package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.numbers.NumbersVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.usage.UsageLimits;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls domain: placing outbound and web calls (within the plan's concurrent-call limit and
 * monthly voice minutes),
 * listing and reading calls and transcripts, and taking Retell's call events, which it hands to
 * the call's session.
 */
public final class CallsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CallsVerticle.class);
  public static final String CREATE = "calls.create";
  public static final String CREATE_WEB = "calls.create-web";
  public static final String LIST = "calls.list";
  public static final String GET = "calls.get";
  public static final String TRANSCRIPT = "calls.transcript";
  public static final String END = "calls.end";
  public static final String RETELL_EVENT = "calls.retell-event";
  /** {@code {retellCallId}} → {@code {callId}} or null. */
  public static final String LOCATE = "calls.locate";
  /** {@code {call: Retell call details}} → {@code {callId}}: finds or creates the call. */
  public static final String ADOPT = "calls.adopt";
  /** {@code {accountId, callId, after}} → {@code {status, direction, durationSeconds, turns}}. */
  public static final String REPLAY = "calls.replay";
  /** Sandbox: {@code {toNumber}} → {@code {retellAgentId, numberId}} ready for an inbound call. */
  public static final String PREPARE_INBOUND = "calls.prepare-inbound";

  private final Engine engine;
  private final Pool pool;
  private final Plans plans;
  private RetellClient retell;
  private CallSessions sessions;

  public CallsVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
    this.plans = new Plans(engine.config());
  }

  @Override
  public Future<?> start() {
    retell = RetellClient.forEngine(vertx, engine);
    sessions = CallSessions.of(engine);
    Bus.answer(vertx, CREATE, this::create);
    Bus.answer(vertx, CREATE_WEB, this::createWeb);
    Bus.answer(vertx, LIST, this::list);
    Bus.answer(vertx, GET, this::get);
    Bus.answer(vertx, TRANSCRIPT, this::transcript);
    Bus.answer(vertx, END, this::end);
    Bus.answer(vertx, RETELL_EVENT, this::retellEvent);
    Bus.answer(vertx, LOCATE, request -> CallStore.byRetellId(pool,
            request.getString("retellCallId"))
        .map(row -> row == null ? null : new JsonObject().put("callId", row.getString("id"))));
    Bus.answer(vertx, ADOPT, request -> adopt(request.getJsonObject("call"))
        .map(row -> {
          if (row == null) {
            throw ApiError.notFound("Call");
          }
          return new JsonObject().put("callId", row.getString("id"));
        }));
    Bus.answer(vertx, REPLAY, this::replay);
    Bus.answer(vertx, PREPARE_INBOUND, this::prepareInbound);
    vertx.eventBus().<JsonObject>localConsumer(NumbersVerticle.CHANGED, m -> numberChanged(m.body()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    CallSessions.forget(engine);
    return Future.succeededFuture();
  }

  // ---- placing calls ----

  private Future<JsonObject> create(JsonObject request) {
    String accountId = request.getString("accountId");
    JsonObject call = request.getJsonObject("call");
    String agentId = call.getString("agentId");
    String systemPrompt = call.getString("systemPrompt");
    return voiceAgent(accountId, agentId).compose(voiceAgent ->
        number(accountId, agentId, call.getString("fromNumberId")).compose(number -> {
          String id = Ids.next("call");
          String mode = systemPrompt != null ? "hosted" : voiceAgent.getString("voiceMode");
          Tuple values = Tuple.of(id, accountId, agentId, number.getString("id"),
                  number.getString("phone_number"), "pstn", "outbound",
                  number.getString("phone_number"))
              .addValue(call.getString("toNumber")).addValue(mode).addValue(systemPrompt)
              .addValue(call.getString("initialGreeting"))
              .addValue(call.getString("voice", voiceAgent.getString("voice")));
          return insertWithinLimit(accountId, values).compose(row -> {
            JsonObject body = new JsonObject()
                .put("from_number", number.getString("phone_number"))
                .put("to_number", call.getString("toNumber"))
                .put("override_agent_id", voiceAgent.getString("retellAgentId"))
                .put("metadata", new JsonObject().put("agentphone_call_id", id)
                    .put("agentphone_account_id", accountId))
                .put("retell_llm_dynamic_variables", dynamicVariables(call));
            return placed(row, retell.createPhoneCall(body));
          });
        }));
  }

  private Future<JsonObject> createWeb(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    JsonObject metadata = request.getJsonObject("metadata");
    return voiceAgent(accountId, agentId).compose(voiceAgent -> {
      String id = Ids.next("call");
      Tuple values = Tuple.of(id, accountId, agentId, null, null, "web", "inbound", "web")
          .addValue("web").addValue(voiceAgent.getString("voiceMode")).addValue(null)
          .addValue(null).addValue(voiceAgent.getString("voice"));
      return insertWithinLimit(accountId, values).compose(row -> {
        JsonObject meta = (metadata == null ? new JsonObject() : metadata.copy())
            .put("agentphone_call_id", id).put("agentphone_account_id", accountId);
        long validFor = engine.config().longValue("voice.webCallTokenSeconds", 30);
        return placed(row, retell.createWebCall(new JsonObject()
                .put("agent_id", voiceAgent.getString("retellAgentId")).put("metadata", meta)))
            .map(summary -> new JsonObject()
                .put("callId", id)
                .put("agentId", agentId)
                .put("accessToken", summary.getString("accessToken"))
                .put("expiresAt", Times.format(Instant.now().plusSeconds(validFor)))
                .put("status", summary.getString("status")));
      });
    });
  }

  /** Records the provider's call id, or marks the call failed and answers the provider's 502. */
  private Future<JsonObject> placed(Row row, Future<JsonObject> providerCall) {
    String id = row.getString("id");
    return providerCall.compose(created -> pool.preparedQuery("UPDATE calls SET "
                + "retell_call_id = coalesce(retell_call_id, $2) WHERE id = $1 RETURNING "
                + CallStore.COLUMNS)
            .execute(Tuple.of(id, created.getString("call_id")))
            .map(rows -> {
              JsonObject summary = CallStore.summary(rows.iterator().next());
              if (created.getString("access_token") != null) {
                summary.put("accessToken", created.getString("access_token"));
              }
              return summary;
            }))
        .recover(failure -> pool.preparedQuery("UPDATE calls SET status = 'failed', "
                + "ended_at = now(), duration_seconds = 0, disconnection_reason = 'provider_error' "
                + "WHERE id = $1")
            .execute(Tuple.of(id))
            .transform(v -> Future.failedFuture(failure)));
  }

  /**
   * Inserts the call as in progress unless the account already has as many live calls as its
   * plan allows; the account's advisory lock makes the count and the insert one step.
   */
  private Future<Row> insertWithinLimit(String accountId, Tuple values) {
    // the count runs after the lock is held, so it sees every call committed before us
    return pool.withTransaction(tx -> tx.preparedQuery(
            "SELECT pg_advisory_xact_lock(hashtext('calls:' || $1))")
        .execute(Tuple.of(accountId))
        .compose(locked -> tx.preparedQuery("SELECT (SELECT plan FROM accounts WHERE id = $1) "
                + "AS plan, (SELECT count(*) FROM calls WHERE account_id = $1 AND status IN ("
                + CallStore.LIVE + ")) AS live")
            .execute(Tuple.of(accountId)))
        .compose(rows -> {
          Row row = rows.iterator().next();
          int limit = plans.limits(row.getString("plan")).getInteger("concurrentCalls", 5);
          if (row.getLong("live") >= limit) {
            return Future.failedFuture(new ApiError(429, "Concurrent call limit reached: your "
                + "plan allows " + limit + " live call" + (limit == 1 ? "" : "s")
                + " at a time. End a call or wait for one to finish."));
          }
          return UsageLimits.checkVoiceMinutes(tx, plans, accountId, Times.now())
              .compose(v -> insert(tx, values));
        }));
  }

  private static Future<Row> insert(SqlClient client, Tuple values) {
    return client.preparedQuery("INSERT INTO calls (id, account_id, agent_id, phone_number_id, "
            + "phone_number, type, direction, from_number, to_number, status, voice_mode, "
            + "system_prompt, initial_greeting, voice) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
            + "'in-progress', $10, $11, $12, $13) RETURNING " + CallStore.COLUMNS)
        .execute(values)
        .map(rows -> rows.iterator().next());
  }

  private static JsonObject dynamicVariables(JsonObject call) {
    JsonObject variables = new JsonObject();
    if (call.getString("systemPrompt") != null) {
      variables.put("system_prompt", call.getString("systemPrompt"));
    }
    if (call.getString("initialGreeting") != null) {
      variables.put("initial_greeting", call.getString("initialGreeting"));
    }
    return variables;
  }

  private Future<JsonObject> voiceAgent(String accountId, String agentId) {
    return Bus.request(vertx, AgentsVerticle.VOICE_AGENT,
        new JsonObject().put("accountId", accountId).put("agentId", agentId));
  }

  /** The caller id: {@code fromNumberId} when it is one of the agent's numbers, else its first. */
  private Future<JsonObject> number(String accountId, String agentId, String fromNumberId) {
    return pool.preparedQuery("SELECT id, phone_number FROM phone_numbers WHERE account_id = $1 "
            + "AND agent_id = $2 AND status = 'active' ORDER BY created_at, id")
        .execute(Tuple.of(accountId, agentId))
        .map(rows -> {
          JsonObject first = null;
          for (Row row : rows) {
            JsonObject number = new JsonObject().put("id", row.getString("id"))
                .put("phone_number", row.getString("phone_number"));
            if (first == null) {
              first = number;
            }
            if (row.getString("id").equals(fromNumberId)) {
              return number;
            }
          }
          if (fromNumberId != null) {
            throw new ApiError(400, "fromNumberId does not belong to this agent");
          }
          if (first == null) {
            throw new ApiError(400, "Agent has no phone number to call from");
          }
          return first;
        });
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
    return adopt(call).compose(row -> {
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

  /**
   * The call a Retell call object is about: ours by the id we put in its metadata, else by
   * Retell's call id, else (an inbound call we have not seen) created now for the number it
   * reached. Null when it reached none of our numbers.
   */
  private Future<Row> adopt(JsonObject call) {
    JsonObject metadata = call.getJsonObject("metadata", new JsonObject());
    String ours = metadata.getString("agentphone_call_id");
    String retellId = call.getString("call_id");
    Future<Row> known = ours != null ? CallStore.byId(pool, ours)
        : retellId != null ? CallStore.byRetellId(pool, retellId) : Future.succeededFuture(null);
    return known.compose(row -> {
      if (row != null) {
        if (row.getString("retell_call_id") == null && retellId != null) {
          return pool.preparedQuery("UPDATE calls SET retell_call_id = $2 WHERE id = $1 "
                  + "AND retell_call_id IS NULL RETURNING " + CallStore.COLUMNS)
              .execute(Tuple.of(row.getString("id"), retellId))
              .map(rows -> rows.size() == 0 ? row : rows.iterator().next());
        }
        return Future.succeededFuture(row);
      }
      if (retellId == null || !"inbound".equals(call.getString("direction"))) {
        return Future.succeededFuture(null);
      }
      return createInbound(call);
    });
  }

  private Future<Row> createInbound(JsonObject call) {
    String to = call.getString("to_number");
    String retellId = call.getString("call_id");
    return pool.preparedQuery("SELECT n.id, n.account_id, n.agent_id, n.phone_number, "
            + "a.voice_mode FROM phone_numbers n LEFT JOIN agents a ON a.id = n.agent_id "
            + "WHERE n.phone_number = $1 AND n.status = 'active'")
        .execute(Tuple.of(to))
        .compose(rows -> {
          if (rows.size() == 0) {
            LOG.info("inbound call {} to {} matches none of our numbers", retellId, to);
            return Future.succeededFuture(null);
          }
          Row number = rows.iterator().next();
          OffsetStart start = new OffsetStart(call.getValue("start_timestamp"));
          return pool.preparedQuery("INSERT INTO calls (id, account_id, agent_id, phone_number_id, "
                  + "phone_number, retell_call_id, type, direction, from_number, to_number, status, "
                  + "voice_mode, started_at) VALUES ($1, $2, $3, $4, $5, $6, 'pstn', 'inbound', "
                  + "$7, $8, 'in-progress', $9, coalesce($10, now())) "
                  + "ON CONFLICT (retell_call_id) DO NOTHING RETURNING " + CallStore.COLUMNS)
              .execute(Tuple.of(Ids.next("call"), number.getString("account_id"),
                      number.getString("agent_id"), number.getString("id"),
                      number.getString("phone_number"), retellId,
                      call.getString("from_number", "unknown"), to)
                  .addValue(number.getString("voice_mode") == null ? "webhook"
                      : number.getString("voice_mode"))
                  .addValue(start.value))
              // lost a race with another delivery of the same call: take the stored one
              .compose(inserted -> inserted.size() > 0
                  ? Future.succeededFuture(inserted.iterator().next())
                  : CallStore.byRetellId(pool, retellId));
        });
  }

  private static final class OffsetStart {
    final java.time.OffsetDateTime value;

    OffsetStart(Object millis) {
      this.value = CallFinalizer.millis(millis);
    }
  }

  // ---- numbers in Retell ----

  /** Purchased or re-attached numbers are imported into Retell for inbound calls. */
  private void numberChanged(JsonObject change) {
    String action = change.getString("action", "");
    String phoneNumber = change.getString("phoneNumber");
    Future<?> work = switch (action) {
      case "purchased", "attached" -> change.getString("agentId") == null
          ? Future.succeededFuture()
          : importNumber(change.getString("accountId"), change.getString("agentId"), phoneNumber);
      case "released" -> retell.deletePhoneNumber(phoneNumber);
      default -> Future.succeededFuture();
    };
    work.onFailure(e -> LOG.warn("could not sync number {} with Retell: {}", phoneNumber,
        e.getMessage()));
  }

  private Future<JsonObject> importNumber(String accountId, String agentId, String phoneNumber) {
    return voiceAgent(accountId, agentId).compose(voiceAgent -> {
      String retellAgent = voiceAgent.getString("retellAgentId");
      JsonObject body = new JsonObject().put("phone_number", phoneNumber)
          .put("inbound_agent_id", retellAgent).put("outbound_agent_id", retellAgent);
      return retell.importPhoneNumber(body)
          .recover(e -> retell.updatePhoneNumber(phoneNumber, new JsonObject()
              .put("inbound_agent_id", retellAgent).put("outbound_agent_id", retellAgent)))
          .map(v -> voiceAgent);
    });
  }

  private Future<JsonObject> prepareInbound(JsonObject request) {
    String to = request.getString("toNumber");
    return pool.preparedQuery("SELECT id, account_id, agent_id FROM phone_numbers "
            + "WHERE phone_number = $1 AND status = 'active'")
        .execute(Tuple.of(to))
        .compose(rows -> {
          if (rows.size() == 0 || rows.iterator().next().getString("agent_id") == null) {
            return Future.failedFuture(ApiError.notFound("Number with an agent"));
          }
          Row row = rows.iterator().next();
          return importNumber(row.getString("account_id"), row.getString("agent_id"), to)
              .map(voiceAgent -> voiceAgent.copy().put("numberId", row.getString("id")));
        });
  }
}
