package dev.agentphone.providers.email;

import dev.agentphone.Engine;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /sandbox/emails}: the emails the engine sent, so a newcomer can read a signup code
 * without a mail server. No key is needed (a newcomer has none yet); it exists in sandbox mode only
 * and, like every sandbox tool, answers loopback clients only ({@code SandboxGate}).
 */
public final class SandboxEmailRoutes implements Routes {
  @Override
  public void mountPublic(Router root, Engine engine) {
    if (!engine.config().sandbox()) {
      return;
    }
    root.get("/sandbox/emails").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      String to = query.queryString("to");
      query.check();
      SandboxOutbox.list(engine.pool(), to, limit)
          .onSuccess(emails -> Responses.json(ctx, 200, new JsonObject().put("data", emails)))
          .onFailure(e -> Responses.error(ctx, e));
    }));
  }
}
