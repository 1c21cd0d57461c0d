package dev.agentphone.providers.email;

import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;

/**
 * {@code GET /sandbox/emails}: the emails the engine sent, so a newcomer can read a signup code
 * without a mail server. No key is needed (a newcomer has none yet); it exists in sandbox mode only
 * and, like every sandbox tool, answers loopback clients only ({@code SandboxGate}).
 *
 * <p>Mount it in sandbox mode only.
 */
public final class SandboxEmailRoutes implements Routes {
  private final Pool pool;

  public SandboxEmailRoutes(Pool pool) {
    this.pool = pool;
  }

  @Override
  public void mountPublic(Router root) {
    root.get("/sandbox/emails").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      String to = query.queryString("to");
      query.check();
      SandboxOutbox.list(pool, to, limit)
          .onSuccess(emails -> Responses.json(ctx, 200, new JsonObject().put("data", emails)))
          .onFailure(e -> Responses.error(ctx, e));
    }));
  }
}
