package dev.agentphone.providers.sandbox;

import dev.agentphone.Engine;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import dev.agentphone.providers.retell.RetellClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /sandbox/calls}: simulate a caller (sandbox mode only, no key needed, like the other
 * sandbox tools). {@code POST /sandbox/calls {from, to}} dials one of our numbers;
 * {@code /say {text}} makes the caller speak and answers with the agent's complete reply;
 * {@code /hangup} ends the call. Outbound calls placed through the API can be driven the same way.
 */
public final class SandboxCallRoutes implements Routes {
  @Override
  public void mountPublic(Router root, Engine engine) {
    if (!RetellClient.usesSandbox(engine.config())) {
      return;
    }
    root.post("/sandbox/calls").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = body.requiredString("from");
      String to = body.requiredString("to");
      body.check();
      Responses.forward(ctx, SandboxCallSimulator.INBOUND,
          new JsonObject().put("from", from).put("to", to));
    }));
    root.post("/sandbox/calls/:call_id/say").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String text = body.requiredString("text");
      body.check();
      Responses.forward(ctx, SandboxCallSimulator.SAY,
          new JsonObject().put("callId", ctx.pathParam("call_id")).put("text", text));
    }));
    root.post("/sandbox/calls/:call_id/hangup").handler(ctx ->
        Responses.forward(ctx, SandboxCallSimulator.HANGUP,
            new JsonObject().put("callId", ctx.pathParam("call_id"))));
  }
}
