package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.usage.CallBudget;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.OffsetDateTime;

/**
 * Which of our calls a Retell call object is about, creating the inbound calls we have not seen.
 * Call objects come only from Retell itself: a signed webhook, or Retell's REST API asked about a
 * call whose LLM socket arrived first — never from what a socket sends. An inbound call arriving
 * when the account already has as many live calls as its plan allows is ended at once.
 */
final class CallAdoption {
  private static final Logger LOG = LoggerFactory.getLogger(CallAdoption.class);
  /** The disconnection reason of an inbound call refused by the concurrent-call limit. */
  static final String CONCURRENCY_REASON = "concurrent_call_limit_reached";

  private final Pool pool;
  private final CallBudget budget;
  private final RetellClient retell;
  private final AgentsApi agents;
  private final NumbersApi numbers;
  private final CallFinalizer finalizer;

  /** The agent whose LLM socket secret a connection carried. */
  private record Confirmed(String agentId, String accountId) {
  }

  CallAdoption(Pool pool, CallBudget budget, RetellClient retell, AgentsApi agents,
      NumbersApi numbers, CallFinalizer finalizer) {
    this.pool = pool;
    this.budget = budget;
    this.retell = retell;
    this.agents = agents;
    this.numbers = numbers;
    this.finalizer = finalizer;
  }

  /**
   * A socket carrying {@code agentId}'s secret names a call we have not seen: it is ours to take
   * only if Retell knows it as a live call of that agent. Answers {@code {callId}}.
   */
  Future<JsonObject> confirm(String retellCallId, String agentId) {
    return agents.socketAgent(agentId)
        .compose(agent -> retell.getCall(retellCallId).compose(call -> {
          if (call == null || !retellCallId.equals(call.getString("call_id"))) {
            return Future.failedFuture(ApiError.notFound("Call"));
          }
          if (!agent.retellAgentId().equals(call.getString("agent_id"))) {
            return Future.failedFuture(new ApiError(403, "The call belongs to another agent"));
          }
          String status = call.getString("call_status");
          if (!"registered".equals(status) && !"ongoing".equals(status)) {
            return Future.failedFuture(ApiError.conflict("The call is not live"));
          }
          return adopt(call, new Confirmed(agentId, agent.accountId()));
        }))
        .map(row -> {
          if (row == null) {
            throw ApiError.notFound("Call");
          }
          if (!agentId.equals(row.getString("agent_id"))) {
            throw new ApiError(403, "The call belongs to another agent");
          }
          return new JsonObject().put("callId", row.getString("id"));
        });
  }

  /** The call a verified Retell call object is about; null when it is none of ours. */
  Future<Row> adopt(JsonObject call) {
    return adopt(call, null);
  }

  /**
   * Ours by the id we put in its metadata, else by Retell's call id, else (an inbound call we
   * have not seen) created now for the number it reached.
   */
  private Future<Row> adopt(JsonObject call, Confirmed confirmed) {
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
      return createInbound(call, confirmed);
    });
  }

  private Future<Row> createInbound(JsonObject call, Confirmed confirmed) {
    String to = call.getString("to_number");
    String retellId = call.getString("call_id");
    return numbers.routeInbound(to).compose(number -> {
      if (number == null || confirmed != null
          && !confirmed.accountId().equals(number.accountId())) {
        LOG.info("inbound call {} to {} matches none of our numbers", retellId, to);
        return Future.succeededFuture(null);
      }
      String agentId = confirmed != null ? confirmed.agentId() : number.agentId();
      return voiceMode(number, agentId).compose(mode -> {
        OffsetDateTime start = CallFinalizer.millis(call.getValue("start_timestamp"));
        Tuple values = Tuple.of(Ids.next("call"), number.accountId(), agentId, number.id(),
                number.phoneNumber(), retellId, call.getString("from_number", "unknown"), to)
            .addValue(mode).addValue(start);
        return insertInbound(number.accountId(), retellId, values);
      });
    });
  }

  /** The voice mode the agent answering {@code number} has; webhook mode without an agent. */
  private Future<String> voiceMode(ActiveNumber number, String agentId) {
    if (agentId == null) {
      return Future.succeededFuture("webhook");
    }
    return agents.get(number.accountId(), agentId)
        .map(agent -> agent.getString("voiceMode", "webhook"))
        .recover(failure -> failure instanceof ApiError e && e.status() == 404
            ? Future.succeededFuture("webhook") : Future.failedFuture(failure));
  }

  /** Inserts under the account's call lock; a call over the concurrent-call limit ends at once. */
  private Future<Row> insertInbound(String accountId, String retellId, Tuple values) {
    boolean[] overLimit = new boolean[1];
    return pool.withTransaction(tx -> CallPlacement.lockedLiveCalls(tx, accountId)
        .compose(live -> budget.fullAt(tx, accountId, live))
        .compose(full -> CallStore.byRetellId(tx, retellId).compose(existing -> {
          if (existing != null) {
            // another delivery of the same call won the race: take the stored one
            return Future.succeededFuture(existing);
          }
          overLimit[0] = full != null;
          // a start in the future is a clock's mistake: the call cannot have started after now
          return tx.preparedQuery("INSERT INTO calls (id, account_id, agent_id, phone_number_id, "
                  + "phone_number, retell_call_id, type, direction, from_number, to_number, "
                  + "status, voice_mode, started_at, recording_enabled) VALUES ($1, $2, $3, $4, "
                  + "$5, $6, 'pstn', 'inbound', $7, $8, 'in-progress', $9, "
                  + "least(coalesce($10, now()), now()), " + CallRecordings.enabledFor("$2")
                  + ") ON CONFLICT (retell_call_id) DO NOTHING RETURNING " + CallStore.COLUMNS)
              .execute(values)
              .compose(inserted -> {
                if (inserted.size() > 0) {
                  return Future.succeededFuture(inserted.iterator().next());
                }
                overLimit[0] = false;
                return CallStore.byRetellId(tx, retellId);
              });
        })))
        .compose(row -> {
          if (!overLimit[0]) {
            return Future.succeededFuture(row);
          }
          LOG.info("inbound call {} ended: the account is at its concurrent-call limit",
              row.getString("id"));
          long now = System.currentTimeMillis();
          JsonObject refused = new JsonObject().put("start_timestamp", now)
              .put("end_timestamp", now).put("disconnection_reason", CONCURRENCY_REASON);
          return finalizer.finishAndAnnounce(row.getString("id"), refused, null)
              .compose(done -> CallStore.byId(pool, row.getString("id")));
        });
  }
}
