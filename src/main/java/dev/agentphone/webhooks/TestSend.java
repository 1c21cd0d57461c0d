package dev.agentphone.webhooks;

import dev.agentphone.platform.Ids;
import dev.agentphone.platform.Times;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;

/**
 * The sample event a test send delivers: an inbound SMS to the agent, shaped exactly like a real
 * {@code agent.message}, so a receiver that handles it handles the real thing.
 */
final class TestSend {
  private TestSend() {
  }

  /**
   * For {@code accountId}; {@code agent} is an {@code AgentResponse} or null (an account without
   * agents).
   */
  static byte[] sampleBody(String accountId, JsonObject agent) {
    OffsetDateTime now = Times.now();
    JsonArray numbers = agent == null ? null : agent.getJsonArray("numbers");
    JsonObject number = numbers == null || numbers.isEmpty() ? null : numbers.getJsonObject(0);
    String messageId = Ids.next("msg");
    String text = "This is a test webhook from AgentPhone.";
    JsonObject data = new JsonObject()
        .put("messageId", messageId)
        .put("conversationId", Ids.next("conv"))
        .put("numberId", number == null ? null : number.getString("id"))
        .put("from", "+15555550100")
        .put("to", number == null ? "+15555550199" : number.getString("phoneNumber"))
        .put("contact", null)
        .put("message", text)
        .put("mediaUrl", null)
        .put("mediaUrls", new JsonArray())
        .put("direction", "inbound")
        .put("receivedAt", Times.format(now));
    JsonArray history = new JsonArray().add(new JsonObject()
        .put("messageId", messageId)
        .put("content", text)
        .put("direction", "inbound")
        .put("channel", "sms")
        .put("at", Times.format(now)));
    return Envelope.of("agent.message", "sms", now, accountId,
        agent == null ? null : agent.getString("id"),
        data, new JsonObject(), history).toBuffer().getBytes();
  }
}
