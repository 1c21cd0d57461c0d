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
      MessagingApi.Send message = SendRequest.read(body);
      body.check();
      Responses.answer(ctx, messaging.send(Caller.accountOf(ctx), message));
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
