package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.numbers.NumberReads;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.usage.CallBudget;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;

/**
 * Placing outbound phone calls and web calls, within the plan's concurrent-call limit and monthly
 * voice minutes. The call is stored before Retell is asked to place it; a crash in between leaves
 * a call without a Retell id, which the {@link CallReconciler} fails after a while.
 */
final class CallPlacement {
  private final Pool pool;
  private final CallBudget budget;
  private final RetellClient retell;
  private final AgentsApi agents;
  private final long webCallTokenSeconds;
  private final String publicUrl;

  CallPlacement(Pool pool, CallBudget budget, RetellClient retell, AgentsApi agents,
      long webCallTokenSeconds, String publicUrl) {
    this.pool = pool;
    this.budget = budget;
    this.retell = retell;
    this.agents = agents;
    this.webCallTokenSeconds = webCallTokenSeconds;
    this.publicUrl = publicUrl;
  }

  Future<JsonObject> create(JsonObject request) {
    String accountId = request.getString("accountId");
    JsonObject call = request.getJsonObject("call");
    String agentId = call.getString("agentId");
    CallOptions asked = CallOptions.of(call);
    return agents.voiceAgent(accountId, agentId).compose(voiceAgent -> {
      boolean hosted = "hosted".equals(voiceAgent.voiceMode());
      if (asked.hasVariables() && asked.systemPrompt() == null && !hosted) {
        return Future.failedFuture(ApiError.badRequest("variables fill the placeholders of a "
            + "prompt and greeting the engine or Retell speaks: they need a systemPrompt or a "
            + "hosted-mode agent, and this agent is in webhook mode"));
      }
      // the agent's own settings: the default tier of a per-call prompt, the screening answers
      Future<JsonObject> agent = asked.systemPrompt() != null || asked.overridesScreening()
          ? agents.get(accountId, agentId) : Future.succeededFuture(null);
      return agent.compose(settings -> number(accountId, agentId, call.getString("fromNumberId"))
          .compose(number -> {
            CallOptions options = asked.withTierOf(settings);
            String id = Ids.next("call");
            String mode = options.systemPrompt() != null ? "hosted" : voiceAgent.voiceMode();
            Tuple values = Tuple.of(id, accountId, agentId, number.getString("id"),
                    number.getString("phone_number"), "pstn", "outbound",
                    number.getString("phone_number"))
                .addValue(call.getString("toNumber")).addValue(mode)
                .addValue(options.systemPrompt()).addValue(options.initialGreeting())
                .addValue(call.getString("voice", voiceAgent.voice()));
            return insertWithinLimit(accountId, withOptions(values, options)).compose(row -> {
              JsonObject body = new JsonObject()
                  .put("from_number", number.getString("phone_number"))
                  .put("to_number", call.getString("toNumber"))
                  .put("override_agent_id", voiceAgent.retellAgentId())
                  .put("metadata", new JsonObject().put("agentphone_call_id", id)
                      .put("agentphone_account_id", accountId))
                  .put("retell_llm_dynamic_variables", options.dynamicVariables());
              putIfSet(body, "agent_override", options.agentOverride(settings, hosted,
                  row.getBoolean("recording_enabled")));
              return placed(row, retell.createPhoneCall(body));
            });
          }));
    });
  }

  /**
   * A web call; {@code variables} fill the placeholders of the agent's stored prompt and begin
   * message, which only a hosted-mode agent has.
   */
  Future<JsonObject> createWeb(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    JsonObject metadata = request.getJsonObject("metadata");
    CallOptions options = new CallOptions(null, null, request.getJsonObject("variables"), null,
        null, null);
    return agents.voiceAgent(accountId, agentId).compose(voiceAgent -> {
      if (options.hasVariables() && !"hosted".equals(voiceAgent.voiceMode())) {
        return Future.failedFuture(ApiError.badRequest("variables fill the placeholders of a "
            + "hosted-mode agent's prompt and begin message; this agent is in webhook mode"));
      }
      String id = Ids.next("call");
      Tuple values = Tuple.of(id, accountId, agentId, null, null, "web", "inbound", "web")
          .addValue("web").addValue(voiceAgent.voiceMode()).addValue(null)
          .addValue(null).addValue(voiceAgent.voice());
      return insertWithinLimit(accountId, withOptions(values, options)).compose(row -> {
        JsonObject meta = (metadata == null ? new JsonObject() : metadata.copy())
            .put("agentphone_call_id", id).put("agentphone_account_id", accountId);
        JsonObject body = new JsonObject().put("agent_id", voiceAgent.retellAgentId())
            .put("metadata", meta);
        if (options.hasVariables()) {
          body.put("retell_llm_dynamic_variables", options.dynamicVariables());
        }
        putIfSet(body, "agent_override", options.agentOverride(null, false,
            row.getBoolean("recording_enabled")));
        return placed(row, retell.createWebCall(body))
            .map(summary -> new JsonObject()
                .put("callId", id)
                .put("agentId", agentId)
                .put("accessToken", summary.getString("accessToken"))
                .put("expiresAt", Times.format(Instant.now().plusSeconds(webCallTokenSeconds)))
                .put("status", summary.getString("status")));
      });
    });
  }

  private static Tuple withOptions(Tuple values, CallOptions options) {
    return values.addValue(options.variables()).addValue(options.modelTier())
        .addValue(options.screeningIdentity()).addValue(options.screeningPurpose());
  }

  private static void putIfSet(JsonObject body, String field, JsonObject value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  /** Records the provider's call id, or marks the call failed and answers the provider's 502. */
  private Future<JsonObject> placed(Row row, Future<JsonObject> providerCall) {
    String id = row.getString("id");
    return providerCall.compose(created -> pool.preparedQuery("UPDATE calls SET "
                + "retell_call_id = coalesce(retell_call_id, $2) WHERE id = $1 RETURNING "
                + CallStore.COLUMNS)
            .execute(Tuple.of(id, created.getString("call_id")))
            .map(rows -> {
              JsonObject summary = CallStore.summary(rows.iterator().next(), publicUrl);
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
   * Inserts the call as in progress unless the plan's budget refuses another one (the calls at a
   * time, the month's minutes); the account's call lock makes the count and the insert one step.
   */
  private Future<Row> insertWithinLimit(String accountId, Tuple values) {
    return pool.withTransaction(tx -> lockedLiveCalls(tx, accountId)
        .compose(live -> budget.admitPlaced(tx, accountId, live))
        .compose(v -> insert(tx, values)));
  }

  /**
   * Takes the account's call lock for the rest of {@code tx}, then counts its live calls. Every
   * call creation of an account (placed, web or inbound) takes this lock, so a burst cannot slip
   * past the plan's concurrent-call limit.
   */
  static Future<Long> lockedLiveCalls(SqlClient tx, String accountId) {
    // the count runs after the lock is held, so it sees every call committed before us
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('calls:' || $1))")
        .execute(Tuple.of(accountId))
        .compose(locked -> tx.preparedQuery("SELECT count(*) FROM calls WHERE account_id = $1 "
                + "AND status IN (" + CallStore.LIVE + ")")
            .execute(Tuple.of(accountId)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Future<Row> insert(SqlClient client, Tuple values) {
    return client.preparedQuery("INSERT INTO calls (id, account_id, agent_id, phone_number_id, "
            + "phone_number, type, direction, from_number, to_number, status, voice_mode, "
            + "system_prompt, initial_greeting, voice, variables, model_tier, "
            + "call_screening_identity, call_screening_purpose, recording_enabled) VALUES ($1, "
            + "$2, $3, $4, $5, $6, $7, $8, $9, 'in-progress', $10, $11, $12, $13, $14, $15, $16, "
            + "$17, " + CallRecordings.enabledFor("$2") + ") RETURNING " + CallStore.COLUMNS)
        .execute(values)
        .map(rows -> rows.iterator().next());
  }

  /** The caller id: {@code fromNumberId} when it is one of the agent's numbers, else its first. */
  private Future<JsonObject> number(String accountId, String agentId, String fromNumberId) {
    return NumberReads.forAgents(pool, accountId, List.of(agentId))
        .map(byAgent -> {
          JsonObject first = null;
          for (Object owned : byAgent.getOrDefault(agentId, new JsonArray())) {
            JsonObject row = (JsonObject) owned;
            JsonObject number = new JsonObject().put("id", row.getString("id"))
                .put("phone_number", row.getString("phoneNumber"));
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
}
