package dev.agentphone.messaging;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import io.vertx.ext.web.Router;

/** {@code POST /v1/messages} and {@code POST /v1/messages/{id}/reactions} (snake_case bodies). */
public final class MessageRoutes implements Routes {
  @Override
  public void mountApi(Router api, Engine engine) {
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
      Responses.forward(ctx, MessagingVerticle.SEND, Caller.of(ctx).payload()
          .put("agentId", agentId).put("toNumber", to).put("body", text)
          .put("mediaUrl", mediaUrl).put("numberId", numberId));
    }));

    api.post("/messages/:message_id/reactions").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String reaction = body.requiredEnum("reaction", MessagingVerticle.REACTIONS);
      body.check();
      Responses.forward(ctx, MessagingVerticle.REACT, Caller.of(ctx).payload()
          .put("messageId", ctx.pathParam("message_id")).put("reaction", reaction));
    }));
  }
}
