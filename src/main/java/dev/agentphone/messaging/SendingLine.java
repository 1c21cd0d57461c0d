package dev.agentphone.messaging;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Which of the account's active numbers a message is sent from: {@code number_id} or
 * {@code from_number} when given (both must name the same line), which must then be the agent's
 * when {@code agent_id} is given too; else the agent's first number.
 */
final class SendingLine {
  private final AgentsApi agents;
  private final NumbersApi numbers;

  SendingLine(AgentsApi agents, NumbersApi numbers) {
    this.agents = agents;
    this.numbers = numbers;
  }

  Future<ActiveNumber> choose(String accountId, String agentId, String numberId,
      String fromNumber) {
    Future<String> named = fromNumber == null ? Future.succeededFuture(numberId)
        : numbers.activeByPhone(accountId, fromNumber).map(number -> {
          String id = number.getString("id");
          if (numberId != null && !numberId.equals(id)) {
            throw ApiError.badRequest("number_id " + numberId + " and from_number " + fromNumber
                + " name different lines; give one of them");
          }
          return id;
        });
    return named.compose(id -> {
      if (agentId == null) {
        return numbers.findActive(accountId, id);
      }
      return agents.get(accountId, agentId)
          .compose(agent -> numbers.findActive(accountId, ofAgent(agent, id)));
    });
  }

  /** {@code numberId} when it is one of the agent's numbers, else the agent's first number. */
  private static String ofAgent(JsonObject agent, String numberId) {
    JsonArray owned = agent.getJsonArray("numbers", new JsonArray());
    for (int i = 0; i < owned.size(); i++) {
      JsonObject n = owned.getJsonObject(i);
      if (numberId == null || numberId.equals(n.getString("id"))) {
        return n.getString("id");
      }
    }
    throw numberId != null ? ApiError.notFound("Phone number " + numberId + " on this agent")
        : ApiError.badRequest("This agent has no phone number to send from; attach one "
            + "with POST /v1/agents/" + agent.getString("id") + "/numbers");
  }
}
