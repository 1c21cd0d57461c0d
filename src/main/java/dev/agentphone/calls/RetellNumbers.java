package dev.agentphone.calls;

import dev.agentphone.Engine;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our phone numbers in Retell: imported with their agent for inbound calls, deleted on release. */
final class RetellNumbers {
  private static final Logger LOG = LoggerFactory.getLogger(RetellNumbers.class);

  private final Engine engine;
  private final RetellClient retell;

  RetellNumbers(Engine engine, RetellClient retell) {
    this.engine = engine;
    this.retell = retell;
  }

  /** Purchased or re-attached numbers are imported into Retell for inbound calls. */
  void changed(JsonObject change) {
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
    return Bus.<JsonObject>request(engine.vertx(), AgentsVerticle.VOICE_AGENT,
            new JsonObject().put("accountId", accountId).put("agentId", agentId))
        .compose(voiceAgent -> {
          String retellAgent = voiceAgent.getString("retellAgentId");
          JsonObject body = new JsonObject().put("phone_number", phoneNumber)
              .put("inbound_agent_id", retellAgent).put("outbound_agent_id", retellAgent);
          return retell.importPhoneNumber(body)
              .recover(e -> retell.updatePhoneNumber(phoneNumber, new JsonObject()
                  .put("inbound_agent_id", retellAgent).put("outbound_agent_id", retellAgent)))
              .map(v -> voiceAgent);
        });
  }

  /** Sandbox: the number's agent, imported into the simulated Retell, ready for a call. */
  Future<JsonObject> prepareInbound(JsonObject request) {
    String to = request.getString("toNumber");
    return engine.pool().preparedQuery("SELECT id, account_id, agent_id FROM phone_numbers "
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
