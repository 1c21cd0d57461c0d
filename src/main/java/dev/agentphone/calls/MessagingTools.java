package dev.agentphone.calls;

import dev.agentphone.messaging.MessagingApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.providers.retell.RetellTools;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The engine's own tools of an agent with {@code enableMessaging} on: {@code send_message} texts
 * the other party of the call (or a number the model gives) from the call's number, and
 * {@code read_messages} reads the latest messages between them. Both go through the messaging
 * domain, so what is sent is stored, counted and delivered like any message.
 */
final class MessagingTools {
  private static final int READ_LIMIT = 10;
  private static final int SCAN_LIMIT = 200;

  private final MessagingApi messaging;

  MessagingTools(MessagingApi messaging) {
    this.messaging = messaging;
  }

  static boolean handles(String name) {
    return RetellTools.SEND_MESSAGE.equals(name) || RetellTools.READ_MESSAGES.equals(name);
  }

  Future<ToolResult> run(CallParties call, String name, JsonObject args) {
    Future<JsonObject> answer = RetellTools.SEND_MESSAGE.equals(name) ? send(call, args)
        : read(call);
    return answer.map(ToolResult::json).recover(failure -> Future.succeededFuture(
        ToolResult.failed(failure instanceof ApiError e ? String.valueOf(e.getMessage())
            : "The message could not be sent")));
  }

  private Future<JsonObject> send(CallParties call, JsonObject args) {
    Object body = args.getValue("body");
    if (!(body instanceof String text) || text.isBlank()) {
      return Future.succeededFuture(new JsonObject().put("error", "body is required"));
    }
    Object to = args.getValue("to");
    String recipient = to instanceof String s && !s.isBlank() ? s.strip() : call.otherParty();
    if (recipient == null || !PhoneNumbers.isStrictE164(recipient)) {
      return Future.succeededFuture(new JsonObject().put("error",
          "to must be an E.164 phone number such as +14155550123"));
    }
    return messaging.send(call.accountId(), call.agentId(), recipient, text, null,
            call.numberId())
        .map(sent -> new JsonObject().put("result", "Sent the message to " + recipient + ".")
            .put("messageId", sent.getString("id")).put("channel", sent.getString("channel")));
  }

  private Future<JsonObject> read(CallParties call) {
    String other = call.otherParty();
    if (call.numberId() == null || other == null) {
      return Future.succeededFuture(new JsonObject().put("messages", new JsonArray()));
    }
    return messaging.byNumber(call.accountId(), call.numberId(), SCAN_LIMIT, null, null)
        .map(page -> {
          List<JsonObject> withCaller = new ArrayList<>();
          for (Object item : page.getJsonArray("data", new JsonArray())) {
            JsonObject message = (JsonObject) item;
            String from = message.getString("from", message.getString("from_"));
            if (other.equals(from) || other.equals(message.getString("to"))) {
              withCaller.add(new JsonObject().put("direction", message.getString("direction"))
                  .put("body", message.getString("body"))
                  .put("at", message.getString("receivedAt")));
            }
            if (withCaller.size() == READ_LIMIT) {
              break;
            }
          }
          Collections.reverse(withCaller); // oldest first, as a conversation reads
          return new JsonObject().put("messages", new JsonArray(new ArrayList<>(withCaller)));
        });
  }
}
