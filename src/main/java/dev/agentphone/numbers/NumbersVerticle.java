package dev.agentphone.numbers;

import dev.agentphone.audit.AuditTrail;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.Page;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * Phone numbers: buying ({@link NumberPurchase}), listing, releasing, attaching them to agents,
 * and the lookups other domains make. Every change is announced after commit
 * ({@link NumbersApi#announce}).
 */
final class NumbersVerticle extends VerticleBase {
  static final String AUDITED = "number";
  private final Pool pool;
  private final NumberPurchase purchase;
  private final Telephony telephony;
  private final IMessage imessage;
  private final AgentCheck agents;
  private NumbersApi api;

  NumbersVerticle(Pool pool, NumberPurchase purchase, Telephony telephony, IMessage imessage,
      AgentCheck agents) {
    this.pool = pool;
    this.purchase = purchase;
    this.telephony = telephony;
    this.imessage = imessage;
    this.agents = agents;
  }

  @Override
  public Future<?> start() {
    api = new NumbersApi(vertx);
    Bus.answer(vertx, NumbersApi.BUY, request -> purchase.buy(request)
        .onSuccess(number -> announce("purchased", request.getString("accountId"), number)));
    Bus.answer(vertx, NumbersApi.LIST, this::list);
    Bus.answer(vertx, NumbersApi.GET, request -> find(accountId(request),
        request.getString("numberId")).map(NumberStore::toJson));
    Bus.answer(vertx, NumbersApi.RELEASE, this::release);
    Bus.answer(vertx, NumbersApi.ATTACH, this::attach);
    Bus.answer(vertx, NumbersApi.DETACH, this::detach);
    Bus.answer(vertx, NumbersApi.FIND_ACTIVE, request -> activeRow("id = $2",
        accountId(request), request.getString("numberId"), "Phone number")
        .map(NumberStore::active));
    Bus.answer(vertx, NumbersApi.ACTIVE_BY_PHONE, request -> activeRow("phone_number = $2",
        accountId(request), request.getString("phoneNumber"),
        "Phone number " + request.getString("phoneNumber") + " on this account")
        .map(NumberStore::toJson));
    Bus.answer(vertx, NumbersApi.FIRST_ACTIVE, request -> pool.preparedQuery("SELECT "
            + NumberStore.COLUMNS + " FROM phone_numbers WHERE account_id = $1 AND type = $2 "
            + "AND status = 'active' ORDER BY created_at, id LIMIT 1")
        .execute(Tuple.of(accountId(request), request.getString("type")))
        .map(rows -> rows.size() == 0 ? null : NumberStore.active(rows.iterator().next())));
    Bus.answer(vertx, NumbersApi.ROUTE_INBOUND, request -> pool
        .preparedQuery(NumberStore.ROUTE_INBOUND_SQL)
        .execute(Tuple.of(request.getString("phoneNumber")))
        .map(rows -> rows.size() == 0 ? null : NumberStore.active(rows.iterator().next())));
    Bus.answer(vertx, NumbersApi.ACTIVE_AMONG, request -> pool.preparedQuery("SELECT "
            + "phone_number FROM phone_numbers WHERE status = 'active' AND phone_number = ANY($1)")
        .execute(Tuple.of(strings(request.getJsonArray("phoneNumbers")).toArray(new String[0])))
        .map(rows -> {
          JsonArray taken = new JsonArray();
          rows.forEach(row -> taken.add(row.getString(0)));
          return taken;
        }));
    return Future.succeededFuture();
  }

  private void announce(String action, String accountId, JsonObject number) {
    api.announce(new NumbersApi.Change(action, accountId, number.getString("id"),
        number.getString("phoneNumber"), number.getString("agentId")));
  }

  private static String accountId(JsonObject request) {
    return request.getString("accountId");
  }

  private Future<JsonObject> list(JsonObject request) {
    String where = " FROM phone_numbers WHERE account_id = $1 AND status = 'active'";
    return Page.fetch(pool, "SELECT " + NumberStore.COLUMNS + where
            + " ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3", "SELECT count(*)" + where,
            Tuple.of(accountId(request)), request.getInteger("limit"), request.getInteger("offset"))
        .map(page -> page.json(page.map(NumberStore::toJson)));
  }

  private Future<Row> find(String accountId, String numberId) {
    return pool.preparedQuery("SELECT " + NumberStore.COLUMNS
            + " FROM phone_numbers WHERE account_id = $1 AND id = $2")
        .execute(Tuple.of(accountId, numberId))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Phone number");
          }
          return rows.iterator().next();
        });
  }

  /** The account's active number where {@code condition} holds for {@code $2}, or 404. */
  private Future<Row> activeRow(String condition, String accountId, String value, String what) {
    return pool.preparedQuery("SELECT " + NumberStore.COLUMNS + " FROM phone_numbers "
            + "WHERE account_id = $1 AND " + condition + " AND status = 'active'")
        .execute(Tuple.of(accountId, value))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound(what);
          }
          return rows.iterator().next();
        });
  }

  /** Releases at the provider first: a number we still pay for must stay visible. */
  private Future<JsonObject> release(JsonObject request) {
    String accountId = accountId(request);
    return find(accountId, request.getString("numberId")).compose(row -> {
      if (!"active".equals(row.getString("status"))) {
        throw ApiError.badRequest("This phone number was already released");
      }
      ProvisionedNumber held = new ProvisionedNumber(row.getString("phone_number"),
          row.getString("country"), row.getString("provider_sid"));
      return releaseAtOwner(row.getString("provider"), held)
          .compose(v -> audited(request, row, true, "UPDATE phone_numbers SET status = "
                  + "'released', released_at = now() WHERE account_id = $1 AND id = $2 "
                  + "AND status = 'active' RETURNING " + NumberStore.COLUMNS,
              Tuple.of(accountId, row.getString("id"))))
          .map(rows -> {
            if (rows.size() == 0) {
              throw ApiError.badRequest("This phone number was already released");
            }
            Row released = rows.iterator().next();
            announce("released", accountId, NumberStore.toJson(released));
            return new JsonObject().put("success", true)
                .put("id", released.getString("id"))
                .put("phoneNumber", released.getString("phone_number"))
                .put("status", released.getString("status"));
          });
    });
  }

  /**
   * Runs a change of the number {@code before} and records it in the audit log in one
   * transaction: an update, or the number's deletion (release) when {@code releases}.
   */
  private Future<RowSet<Row>> audited(JsonObject request, Row before, boolean releases,
      String sql, Tuple args) {
    return pool.withTransaction(tx -> tx.preparedQuery(sql).execute(args).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(rows);
      }
      String id = before.getString("id");
      JsonObject was = NumberStore.toJson(before);
      return (releases ? AuditTrail.deleted(tx, request, AUDITED, id, was)
          : AuditTrail.updated(tx, request, AUDITED, id, was,
              NumberStore.toJson(rows.iterator().next()))).map(rows);
    }));
  }

  /** The provider that sold the number; none when this engine no longer runs it. */
  private Future<Void> releaseAtOwner(String provider, ProvisionedNumber number) {
    if (telephony.name().equals(provider)) {
      return telephony.release(number);
    }
    if (imessage != null && imessage.name().equals(provider)) {
      return imessage.release(number);
    }
    return Future.succeededFuture();
  }

  private Future<JsonObject> attach(JsonObject request) {
    String accountId = accountId(request);
    String agentId = request.getString("agentId");
    String numberId = request.getString("numberId");
    return agents.requireAgent(accountId, agentId)
        .compose(v -> find(accountId, numberId))
        .compose(row -> {
          if (!"active".equals(row.getString("status"))) {
            throw ApiError.badRequest("This phone number was released and cannot be attached");
          }
          return audited(request, row, false, "UPDATE phone_numbers SET agent_id = $3 "
                  + "WHERE account_id = $1 AND id = $2 AND status = 'active' RETURNING "
                  + NumberStore.COLUMNS, Tuple.of(accountId, numberId, agentId));
        })
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.badRequest("This phone number was released and cannot be attached");
          }
          Row row = rows.iterator().next();
          announce("attached", accountId, NumberStore.toJson(row));
          return new JsonObject().put("agentId", agentId).put("number", NumberStore.agentNumber(row));
        });
  }

  private Future<JsonObject> detach(JsonObject request) {
    String accountId = accountId(request);
    String agentId = request.getString("agentId");
    String numberId = request.getString("numberId");
    return agents.requireAgent(accountId, agentId)
        .compose(v -> find(accountId, numberId))
        .compose(row -> audited(request, row, false, "UPDATE phone_numbers SET agent_id = NULL "
                + "WHERE account_id = $1 AND id = $2 AND agent_id = $3 RETURNING "
                + NumberStore.COLUMNS, Tuple.of(accountId, numberId, agentId)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.badRequest("This phone number is not attached to this agent");
          }
          Row row = rows.iterator().next();
          // the change names the agent it left, as attaching names the one it joined
          announce("detached", accountId, NumberStore.toJson(row).put("agentId", agentId));
          return new JsonObject().put("success", true).put("agentId", agentId)
              .put("number", NumberStore.agentNumber(row));
        });
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }
}
