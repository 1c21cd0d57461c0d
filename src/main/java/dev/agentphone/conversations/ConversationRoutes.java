package dev.agentphone.conversations;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /v1/conversations} (with a conversation's typing indicator and chat background) and
 * {@code GET /v1/agents/{id}/conversations}.
 */
final class ConversationRoutes implements Routes {
  static final int MAX_GROUP_NAME = 100;
  private final ConversationsApi conversations;
  private final ConversationList list;

  ConversationRoutes(ConversationsApi conversations, ConversationList list) {
    this.conversations = conversations;
    this.list = list;
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
      String groupName = body.optionalString("group_name");
      if (groupName != null && (groupName.isBlank() || groupName.length() > MAX_GROUP_NAME)) {
        body.reject("group_name", groupName.isBlank() ? "string_too_short" : "string_too_long",
            "A group name has 1 to " + MAX_GROUP_NAME + " characters (null removes it)");
      }
      body.check();
      Responses.answer(ctx, conversations.update(Caller.accountOf(ctx), id(ctx), metadata,
          body.present("metadata"), groupName == null ? null : groupName.strip(),
          body.present("group_name")));
    }));

    // iMessage only; the typing request has no body
    api.post("/conversations/:conversation_id/typing").handler(Responses.guarded(ctx ->
        Responses.answer(ctx, conversations.typing(Caller.accountOf(ctx), id(ctx)))));

    api.post("/conversations/:conversation_id/background").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String imageUrl = body.requiredString("image_url");
      body.check();
      Responses.answer(ctx, conversations.setBackground(Caller.accountOf(ctx), id(ctx),
          imageUrl));
    }));

    api.delete("/conversations/:conversation_id/background").handler(Responses.guarded(ctx ->
        Responses.noContent(ctx, conversations.removeBackground(Caller.accountOf(ctx),
            id(ctx)))));

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
    // on this event loop, without the bus hop: the list is stateless reads (docs/architecture.md)
    Responses.answerEncoded(ctx, list.listEncoded(Caller.accountOf(ctx), agentId, limit, offset));
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("conversation_id");
  }
}
