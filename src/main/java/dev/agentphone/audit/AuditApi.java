package dev.agentphone.audit;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** The audit domain's published API: reading an account's audit log. */
public final class AuditApi {
  static final String LIST = "audit.list";

  private final Vertx vertx;

  public AuditApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * The account's entries, newest first ({@code {data, hasMore, total}}), optionally only those
   * of one object type, object id or action (null for any). A main account sees the changes made
   * in its sub-accounts too, each naming its {@code subAccountId}; a sub-account sees its own.
   */
  public Future<JsonObject> list(String accountId, String objectType, String objectId,
      String action, int limit, int offset) {
    return Bus.request(vertx, LIST, Bus.scope(accountId).put("objectType", objectType)
        .put("objectId", objectId).put("action", action).put("limit", limit)
        .put("offset", offset));
  }
}
