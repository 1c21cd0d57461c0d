package dev.agentphone.audit;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

import java.util.List;

/** {@code GET /v1/audit-log}: who changed what through the API, newest first. */
final class AuditRoutes implements Routes {
  static final List<String> ACTIONS = List.of("create", "update", "delete");

  private final AuditApi audit;

  AuditRoutes(AuditApi audit) {
    this.audit = audit;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/audit-log").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 500);
      int offset = query.queryInt("offset", 0, 0, null);
      String objectType = query.queryString("objectType");
      String objectId = query.queryString("objectId");
      String action = query.queryEnum("action", ACTIONS);
      query.check();
      Responses.answer(ctx, audit.list(Caller.accountOf(ctx), objectType, objectId, action,
          limit, offset));
    }));
  }
}
