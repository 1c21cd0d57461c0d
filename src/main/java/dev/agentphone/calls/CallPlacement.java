package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.usage.UsageLimits;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;

/**
 * Placing outbound phone calls and web calls, within the plan's concurrent-call limit and monthly
 * voice minutes. The call is stored before Retell is asked to place it; a crash in between leaves
 * a call without a Retell id, which the {@link CallReconciler} fails after a while.
 */
final class CallPlacement {
  private final Engine engine;
  private final Pool pool;
  private final Plans plans;
  private final RetellClient retell;

  CallPlacement(Engine engine, Plans plans, RetellClient retell) {
    this.engine = engine;
    this.pool = engine.pool();
    this.plans = plans;
    this.retell = retell;
  }

  Future<JsonObject> create(JsonObject request) {
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

  Future<JsonObject> createWeb(JsonObject request) {
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
    return pool.withTransaction(tx -> lockAndCheckRoom(tx, plans, accountId).compose(full -> {
      if (full != null) {
        return Future.failedFuture(new ApiError(429, "Concurrent call limit reached: your "
            + "plan allows " + full + " live call" + (full == 1 ? "" : "s")
            + " at a time. End a call or wait for one to finish."));
      }
      return UsageLimits.checkVoiceMinutes(tx, plans, accountId, Times.now())
          .compose(v -> insert(tx, values));
    }));
  }

  /**
   * Takes the account's call lock for the rest of {@code tx}, then counts its live calls: the
   * plan's {@code concurrentCalls} when they already fill it, else null. Every call creation of an
   * account (placed, web or inbound) takes this lock, so a burst cannot slip past the limit.
   */
  static Future<Integer> lockAndCheckRoom(SqlClient tx, Plans plans, String accountId) {
    // the count runs after the lock is held, so it sees every call committed before us
    return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtext('calls:' || $1))")
        .execute(Tuple.of(accountId))
        .compose(locked -> tx.preparedQuery("SELECT (SELECT plan FROM accounts WHERE id = $1) "
                + "AS plan, (SELECT count(*) FROM calls WHERE account_id = $1 AND status IN ("
                + CallStore.LIVE + ")) AS live")
            .execute(Tuple.of(accountId)))
        .map(rows -> {
          Row row = rows.iterator().next();
          int limit = plans.limits(row.getString("plan")).getInteger("concurrentCalls", 5);
          return row.getLong("live") >= limit ? limit : null;
        });
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
    return Bus.request(engine.vertx(), AgentsVerticle.VOICE_AGENT,
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
}
