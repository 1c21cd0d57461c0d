package dev.agentphone.calls;

import dev.agentphone.http.ApiKeyAuth;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.platform.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A live call's WebSocket, {@code GET /v1/calls/{id}/live} ({@link LiveSocket}), opened with the
 * API key or, from a browser, with a single-use {@code ?token=} from
 * {@code POST /v1/calls/{id}/live-token}. A request carrying a token is taken here, before the
 * API-key check of {@code /v1}; one without goes on to that check.
 */
final class LiveRoutes implements Routes {
  private static final String PATH = "/calls/:call_id/live";

  private final CallsApi calls;
  private final CallHubs hubs;
  private final long heartbeatMillis;

  LiveRoutes(CallsApi calls, CallHubs hubs, long heartbeatMillis) {
    this.calls = calls;
    this.hubs = hubs;
    this.heartbeatMillis = heartbeatMillis;
  }

  @Override
  public void mountPublic(Router root) {
    root.get("/v1" + PATH).handler(ctx -> {
      // an upgrade must be made before the request has been read to its end, and the key, the
      // token and the call are looked up first: the request waits, paused, until then
      if (LiveSocket.upgrade(ctx.request())) {
        ctx.request().pause();
      }
      String token = ctx.request().getParam("token");
      if (token == null || ctx.request().getHeader("Authorization") != null) {
        ctx.next();
        return;
      }
      String callId = ctx.pathParam("call_id");
      calls.redeemLiveToken(token, callId).onComplete(done -> {
        if (done.failed()) {
          LiveSocket.resume(ctx.request());
          Responses.error(ctx, done.cause());
          return;
        }
        // a token is issued to a full key only (a POST), so its socket may command
        open(ctx, done.result().getString("accountId"), new JsonObject()
            .put("keyId", done.result().getString("keyId")).put("via", "token"), false);
      });
    });
  }

  @Override
  public void mountApi(Router api) {
    api.post(PATH + "-token").handler(ctx -> Responses.answer(ctx, calls.liveToken(
        Caller.accountOf(ctx), ctx.pathParam("call_id"), Caller.of(ctx).keyId())));
    api.get(PATH).handler(ctx -> open(ctx, Caller.accountOf(ctx), new JsonObject()
        .put("keyId", Caller.of(ctx).keyId()).put("via", "key"), ApiKeyAuth.readOnly(ctx)));
  }

  private void open(RoutingContext ctx, String accountId, JsonObject actor, boolean readOnly) {
    int after = -1;
    String last = ctx.request().getParam("lastEventId");
    if (last != null) {
      try {
        after = Integer.parseInt(last.trim());
      } catch (NumberFormatException ignored) {
        // an id we never sent: replay everything
      }
    }
    new LiveSocket(ctx.vertx(), hubs, calls, ctx.pathParam("call_id"), accountId, actor,
        readOnly, heartbeatMillis).start(ctx, after);
  }
}
