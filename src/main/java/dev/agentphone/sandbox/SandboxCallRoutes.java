package dev.agentphone.sandbox;

import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /sandbox/calls}: simulate a caller (sandbox mode only), with the API key of the account
 * that owns the number or call, like the messaging simulator. {@code POST /sandbox/calls
 * {from, to}} dials one of the caller's numbers; {@code /say {text}} makes the caller speak and
 * answers with the agent's complete reply (and the tools it called), or with {@code interrupt:
 * true} barges in on an answer still in flight ({@code superseded: true} on that one's reply);
 * {@code /dtmf {digits}} presses keys, which reach the agent as the caller's words;
 * {@code /silence {ms}} lets
 * the caller stay silent that long, which past the agent's {@code maxSilenceMs} ends the call
 * ({@code inactivity}); {@code /hangup} ends the call. Outbound calls placed through the API can
 * be driven the same way.
 *
 * <p>Mounted only where the simulated Retell runs.
 */
final class SandboxCallRoutes implements Routes {
  private final Handler<RoutingContext> auth;
  private final SandboxAccount account;

  SandboxCallRoutes(Handler<RoutingContext> auth, SandboxAccount account) {
    this.auth = auth;
    this.account = account;
  }

  @Override
  public void mountPublic(Router root) {
    root.post("/sandbox/calls").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = body.requiredString("from");
      String to = body.requiredString("to");
      body.check();
      account.number(ctx, to).onComplete(owned -> {
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
      Object interrupt = body.raw().getValue("interrupt");
      if (interrupt != null && !(interrupt instanceof Boolean)) {
        body.reject("interrupt", "bool_type", "Input should be a valid boolean");
      }
      body.check();
      ownCall(ctx, SandboxCallSimulator.SAY, new JsonObject().put("text", text)
          .put("interrupt", Boolean.TRUE.equals(interrupt)));
    }));
    root.post("/sandbox/calls/:call_id/dtmf").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String digits = body.requiredString("digits");
      if (digits != null && !digits.matches("[0-9*#]{1,32}")) {
        body.reject("digits", "string_pattern_mismatch", "1 to 32 of 0-9, * and #");
      }
      body.check();
      ownCall(ctx, SandboxCallSimulator.DTMF, new JsonObject().put("digits", digits));
    }));
    root.post("/sandbox/calls/:call_id/silence").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      Integer ms = body.optionalIntBetween("ms", 0, 86_400_000);
      if (ms == null && !body.present("ms")) {
        body.reject("ms", "missing", "Field required");
      }
      body.check();
      ownCall(ctx, SandboxCallSimulator.SILENCE, new JsonObject().put("ms", ms));
    }));
    root.post("/sandbox/calls/:call_id/hangup").handler(auth).handler(ctx ->
        ownCall(ctx, SandboxCallSimulator.HANGUP, new JsonObject()));
  }

  /** Forwards to the simulator once the call is known to be the caller's. */
  private void ownCall(RoutingContext ctx, String address, JsonObject payload) {
    String callId = ctx.pathParam("call_id");
    account.call(ctx, callId).onComplete(owned -> {
      if (owned.failed()) {
        Responses.error(ctx, owned.cause());
      } else {
        Responses.forward(ctx, address, payload.put("callId", callId));
      }
    });
  }
}
