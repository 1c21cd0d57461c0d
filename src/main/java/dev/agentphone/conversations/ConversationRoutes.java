package dev.agentphone.conversations;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code /v1/conversations} and {@code GET /v1/agents/{id}/conversations}. */
public final class ConversationRoutes implements Routes {
  @Override
  public void mountApi(Router api, Engine engine) {
    api.get("/conversations").handler(Responses.guarded(ctx -> {
      JsonObject page = page(ctx);
      Responses.forward(ctx, ConversationsVerticle.LIST, page);
    }));

    api.get("/agents/:agent_id/conversations").handler(Responses.guarded(ctx -> {
      JsonObject page = page(ctx).put("agentId", ctx.pathParam("agent_id"));
      Responses.forward(ctx, ConversationsVerticle.LIST, page);
    }));

    api.get("/conversations/:conversation_id").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int messageLimit = query.queryInt("message_limit", 50, 0, 100);
      query.check();
      Responses.forward(ctx, ConversationsVerticle.GET,
          conversation(ctx).put("messageLimit", messageLimit));
    }));

    api.patch("/conversations/:conversation_id").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      JsonObject metadata = body.optionalObject("metadata");
      body.check();
      Responses.forward(ctx, ConversationsVerticle.UPDATE, conversation(ctx)
          .put("metadata", metadata).put("changeMetadata", body.present("metadata")));
    }));

    api.get("/conversations/:conversation_id/messages").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      String before = query.queryTimestamp("before");
      String after = query.queryTimestamp("after");
      query.check();
      Responses.forward(ctx, ConversationsVerticle.MESSAGES, conversation(ctx)
          .put("limit", limit).put("before", before).put("after", after));
    }));
  }

  private static JsonObject page(RoutingContext ctx) {
    Validator query = Validator.query(ctx);
    int limit = query.queryInt("limit", 20, 1, 100);
    int offset = query.queryInt("offset", 0, 0, null);
    query.check();
    return Caller.of(ctx).payload().put("limit", limit).put("offset", offset);
  }

  private static JsonObject conversation(RoutingContext ctx) {
    return Caller.of(ctx).payload().put("conversationId", ctx.pathParam("conversation_id"));
  }
}
