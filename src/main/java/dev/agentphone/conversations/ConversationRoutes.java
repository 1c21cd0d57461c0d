package dev.agentphone.conversations;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/conversations} and {@code GET /v1/agents/{id}/conversations}. */
final class ConversationRoutes implements Routes {
  private final ConversationsApi conversations;

  ConversationRoutes(ConversationsApi conversations) {
    this.conversations = conversations;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/conversations").handler(Responses.guarded(ctx -> list(ctx, null)));

    api.get("/agents/:agent_id/conversations").handler(Responses.guarded(ctx ->
        list(ctx, ctx.pathParam("agent_id"))));

    api.get("/conversations/:conversation_id").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int messageLimit = query.queryInt("message_limit", 50, 0, 100);
      query.check();
      Responses.answer(ctx, conversations.get(Caller.accountOf(ctx), id(ctx), messageLimit));
    }));

    api.patch("/conversations/:conversation_id").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      var metadata = body.optionalObject("metadata");
      body.check();
      Responses.answer(ctx, conversations.update(Caller.accountOf(ctx), id(ctx), metadata,
          body.present("metadata")));
    }));

    api.get("/conversations/:conversation_id/messages").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      String before = query.queryTimestamp("before");
      String after = query.queryTimestamp("after");
      query.check();
      Responses.answer(ctx, conversations.messages(Caller.accountOf(ctx), id(ctx), limit, before,
          after));
    }));
  }

  private void list(RoutingContext ctx, String agentId) {
    Validator query = Validator.query(ctx);
    int limit = query.queryInt("limit", 20, 1, 100);
    int offset = query.queryInt("offset", 0, 0, null);
    query.check();
    Responses.answer(ctx, conversations.list(Caller.accountOf(ctx), agentId, limit, offset));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("conversation_id");
  }
}
