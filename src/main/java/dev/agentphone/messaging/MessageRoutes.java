package dev.agentphone.messaging;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

/**
 * {@code POST /v1/messages}, {@code POST /v1/messages/{id}/reactions} (snake_case bodies) and
 * {@code GET /v1/numbers/{id}/messages}.
 */
final class MessageRoutes implements Routes {
  private final MessagingApi messaging;

  MessageRoutes(MessagingApi messaging) {
    this.messaging = messaging;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/messages").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String agentId = body.requiredString("agent_id");
      String to = body.requiredString("to_number");
      String text = body.requiredString("body");
      String mediaUrl = body.optionalString("media_url");
      String numberId = body.optionalString("number_id");
      if (text != null && text.isBlank() && mediaUrl == null) {
        body.reject("body", "string_too_short", "A message needs a body or a media_url");
      }
      if (text != null && text.length() > 1600) {
        body.reject("body", "string_too_long", "String should have at most 1600 characters");
      }
      if (mediaUrl != null && !mediaUrl.matches("(?i)https?://\\S+")) {
        body.reject("media_url", "url_parsing", "media_url must be an http(s) URL");
      }
      body.check();
      Responses.answer(ctx, messaging.send(Caller.accountOf(ctx), agentId, to, text, mediaUrl,
          numberId));
    }));

    api.post("/messages/:message_id/reactions").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String reaction = body.requiredEnum("reaction", MessagingApi.REACTIONS);
      body.check();
      Responses.answer(ctx, messaging.react(Caller.accountOf(ctx), ctx.pathParam("message_id"),
          reaction));
    }));

    api.get("/numbers/:number_id/messages").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      String before = query.queryTimestamp("before");
      String after = query.queryTimestamp("after");
      query.check();
      Responses.answer(ctx, messaging.byNumber(Caller.accountOf(ctx),
          ctx.pathParam("number_id"), limit, before, after));
    }));
  }
}
