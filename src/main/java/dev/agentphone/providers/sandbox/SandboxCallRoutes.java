package dev.agentphone.providers.sandbox;

import dev.agentphone.Engine;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /sandbox/calls}: simulate a caller (sandbox mode only), with the API key of the account
 * that owns the number or call, like the messaging simulator. {@code POST /sandbox/calls
 * {from, to}} dials one of the caller's numbers; {@code /say {text}} makes the caller speak and
 * answers with the agent's complete reply; {@code /hangup} ends the call. Outbound calls placed
 * through the API can be driven the same way.
 */
public final class SandboxCallRoutes implements Routes {
  @Override
  public void mountPublic(Router root, Engine engine) {
    if (!RetellClient.usesSandbox(engine.config())) {
      return;
    }
    Handler<RoutingContext> auth = SandboxAccount.auth(engine);
    root.post("/sandbox/calls").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = body.requiredString("from");
      String to = body.requiredString("to");
      body.check();
      SandboxAccount.number(ctx, to).onComplete(owned -> {
        if (owned.failed()) {
          Responses.error(ctx, owned.cause());
        } else {
          Responses.forward(ctx, SandboxCallSimulator.INBOUND,
              new JsonObject().put("from", from).put("to", to));
        }
      });
    }));
    root.post("/sandbox/calls/:call_id/say").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String text = body.requiredString("text");
      body.check();
      ownCall(ctx, SandboxCallSimulator.SAY, new JsonObject().put("text", text));
    }));
    root.post("/sandbox/calls/:call_id/hangup").handler(auth).handler(ctx ->
        ownCall(ctx, SandboxCallSimulator.HANGUP, new JsonObject()));
  }

  /** Forwards to the simulator once the call is known to be the caller's. */
  private static void ownCall(RoutingContext ctx, String address, JsonObject payload) {
    String callId = ctx.pathParam("call_id");
    SandboxAccount.call(ctx, callId).onComplete(owned -> {
      if (owned.failed()) {
        Responses.error(ctx, owned.cause());
      } else {
        Responses.forward(ctx, address, payload.put("callId", callId));
      }
    });
  }
}
