package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.agents.AgentsApi.VoiceAgent;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Our phone numbers in Retell: imported with their agent for inbound calls, deleted on release. */
final class RetellNumbers {
  private static final Logger LOG = LoggerFactory.getLogger(RetellNumbers.class);

  private final RetellClient retell;
  private final AgentsApi agents;
  private final NumbersApi numbers;

  RetellNumbers(RetellClient retell, AgentsApi agents, NumbersApi numbers) {
    this.retell = retell;
    this.agents = agents;
    this.numbers = numbers;
  }

  /** Purchased or re-attached numbers are imported into Retell for inbound calls. */
  void changed(NumbersApi.Change change) {
    String action = change.action() == null ? "" : change.action();
    String phoneNumber = change.phoneNumber();
    Future<?> work = switch (action) {
      case "purchased", "attached" -> change.agentId() == null
          ? Future.succeededFuture()
          : importNumber(change.accountId(), change.agentId(), phoneNumber);
      case "released" -> retell.deletePhoneNumber(phoneNumber);
      default -> Future.succeededFuture();
    };
    work.onFailure(e -> LOG.warn("could not sync number {} with Retell: {}", phoneNumber,
        e.getMessage()));
  }

  private Future<VoiceAgent> importNumber(String accountId, String agentId, String phoneNumber) {
    return agents.voiceAgent(accountId, agentId)
        .compose(voiceAgent -> {
          String retellAgent = voiceAgent.retellAgentId();
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
    return numbers.routeInbound(to).compose(number -> {
      if (number == null || number.agentId() == null) {
        return Future.failedFuture(ApiError.notFound("Number with an agent"));
      }
      return importNumber(number.accountId(), number.agentId(), to)
          .map(voiceAgent -> new JsonObject().put("agentId", voiceAgent.agentId())
              .put("retellAgentId", voiceAgent.retellAgentId())
              .put("voiceMode", voiceAgent.voiceMode())
              .put("beginMessage", voiceAgent.beginMessage())
              .put("voice", voiceAgent.voice())
              .put("numberId", number.id()));
    });
  }
}
