package dev.agentphone.audit;

import dev.agentphone.platform.Actor;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Page;
import dev.agentphone.platform.Times;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/** Reads the audit log; entries are written by the domains through {@link AuditTrail}. */
final class AuditVerticle extends VerticleBase {
  private static final String COLUMNS = "id, at, key_id, key_prefix, action, object_type, "
      + "object_id, changes, sub_account_id";

  private final Pool pool;

  AuditVerticle(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, AuditApi.LIST, this::list);
    return Future.succeededFuture();
  }

  private Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    Actor actor = Actor.of(request);
    Tuple filter = Tuple.tuple();
    StringBuilder where = new StringBuilder(" FROM audit_log WHERE ");
    if (actor != null && !actor.keyAccountId().equals(accountId)) {
      // acting as a sub-account: what was changed in it, under the parent's keys
      filter.addValue(actor.keyAccountId()).addValue(accountId);
      where.append("account_id = $1 AND sub_account_id = $2");
    } else {
      filter.addValue(accountId);
      where.append("account_id = $1");
    }
    for (String[] column : new String[][] {{"objectType", "object_type"},
        {"objectId", "object_id"}, {"action", "action"}}) {
      String value = request.getString(column[0]);
      if (value != null) {
        filter.addValue(value);
        where.append(" AND ").append(column[1]).append(" = $").append(filter.size());
      }
    }
    int limitAt = filter.size() + 1;
    return Page.fetch(pool, "SELECT " + COLUMNS + where + " ORDER BY at DESC, id DESC LIMIT $"
                + limitAt + " OFFSET $" + (limitAt + 1), "SELECT count(*)" + where, filter,
            request.getInteger("limit"), request.getInteger("offset"))
        .map(page -> page.json(page.map(AuditVerticle::json)));
  }

  private static JsonObject json(Row row) {
    JsonObject entry = new JsonObject()
        .put("id", row.getString("id"))
        .put("at", Times.format(row.getOffsetDateTime("at")))
        .put("keyId", row.getString("key_id"))
        .put("keyPrefix", row.getString("key_prefix"))
        .put("action", row.getString("action"))
        .put("objectType", row.getString("object_type"))
        .put("objectId", row.getString("object_id"))
        .put("changes", row.getJsonObject("changes"));
    String subAccount = row.getString("sub_account_id");
    if (subAccount != null) {
      entry.put("subAccountId", subAccount);
    }
    return entry;
  }
}
