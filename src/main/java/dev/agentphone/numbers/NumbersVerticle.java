package dev.agentphone.numbers;

import dev.agentphone.Engine;
import dev.agentphone.accounts.Plans;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.providers.Providers;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Phone numbers: buying (reserve a slot under the limit, provider, store), listing, releasing, and
 * attaching them to agents.
 * Every change is announced after commit on the node-local {@link #CHANGED} address.
 */
public final class NumbersVerticle extends VerticleBase {
  public static final String BUY = "numbers.buy";
  public static final String LIST = "numbers.list";
  public static final String GET = "numbers.get";
  public static final String RELEASE = "numbers.release";
  public static final String ATTACH = "numbers.attach";
  public static final String DETACH = "numbers.detach";
  /** {@code {accountId, phoneNumber}} → the account's active number with that phone number, or 404. */
  public static final String FIND_ACTIVE = "numbers.find-active";
  /** Published (local only): {@code {action, accountId, numberId, phoneNumber, agentId}}. */
  public static final String CHANGED = "numbers.changed";

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(NumbersVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Engine engine;
  private final Pool pool;
  private final NumberReservations reservations;

  public NumbersVerticle(Engine engine) {
    this.engine = engine;
    this.pool = engine.pool();
    this.reservations = new NumberReservations(pool, new Plans(engine.config()),
        engine.config().longValue("numbers.reservationSeconds", 300));
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, BUY, this::buy);
    Bus.answer(vertx, LIST, this::list);
    Bus.answer(vertx, GET, this::get);
    Bus.answer(vertx, RELEASE, this::release);
    Bus.answer(vertx, ATTACH, this::attach);
    Bus.answer(vertx, DETACH, this::detach);
    Bus.answer(vertx, FIND_ACTIVE, this::findActive);
    return Future.succeededFuture();
  }

  /** Announces a change to the numbers of an account; call only after the change committed. */
  public static void announce(io.vertx.core.Vertx vertx, String action, String accountId,
      String numberId, String phoneNumber, String agentId) {
    vertx.eventBus().publish(CHANGED, new JsonObject()
        .put("action", action)
        .put("accountId", accountId)
        .put("numberId", numberId)
        .put("phoneNumber", phoneNumber)
        .put("agentId", agentId), LOCAL);
  }

  private Future<JsonObject> buy(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    String type = request.getString("type", "sms");
    String country = request.getString("country");
    String areaCode = request.getString("areaCode");
    Future<Void> agentExists = agentId == null ? Future.succeededFuture()
        : Bus.request(vertx, AgentsVerticle.GET, new JsonObject().put("accountId", accountId)
            .put("agentId", agentId)).mapEmpty();
    return agentExists
        .compose(v -> reservations.reserve(accountId))
        .compose(reservation -> purchase(type, country, areaCode)
            .recover(failure -> reservations.release(reservation)
                .transform(released -> Future.<ProvisionedNumber>failedFuture(failure)))
            .compose(bought -> store(accountId, agentId, type, bought, reservation)
                // The provider already charged for it: give it back when we cannot keep it.
                .recover(failure -> releaseAt(type, bought)
                    .compose(v -> reservations.release(reservation))
                    .transform(released -> Future.<JsonObject>failedFuture(failure)))))
        .onSuccess(number -> announce(vertx, "purchased", accountId, number.getString("id"),
            number.getString("phoneNumber"), number.getString("agentId")));
  }

  private Future<ProvisionedNumber> purchase(String type, String country, String areaCode) {
    if ("imessage".equals(type)) {
      IMessage imessage = engine.providers().imessage();
      if (imessage == null) {
        return Future.failedFuture(ApiError.badRequest(
            "iMessage numbers are not available: no iMessage provider is configured"));
      }
      return imessage.provision(country, areaCode);
    }
    return engine.providers().telephony().buy(country, areaCode);
  }

  private Future<Void> releaseAt(String type, ProvisionedNumber number) {
    Providers providers = engine.providers();
    return ("imessage".equals(type) ? providers.imessage().release(number)
        : providers.telephony().release(number)).recover(e -> {
          LOG.warn("could not release {} after a failed purchase; release it at the provider by "
              + "hand", number.phoneNumber(), e);
          return Future.succeededFuture();
        });
  }

  private String providerName(String type) {
    return "imessage".equals(type) ? engine.providers().imessage().name()
        : engine.providers().telephony().name();
  }

  /** Stores the number in the slot its purchase reserved. */
  private Future<JsonObject> store(String accountId, String agentId, String type,
      ProvisionedNumber bought, String reservation) {
    return pool.withTransaction(tx -> tx.preparedQuery(NumberReservations.LOCK)
            .execute(Tuple.of(accountId))
            .compose(locked -> reservations.redeem(tx, accountId, reservation))
            .compose(v -> NumberStore.insert(tx, accountId, agentId, bought.phoneNumber(),
                bought.country(), type, providerName(type), bought.providerSid()))
            .compose(inserted -> tx.preparedQuery("SELECT " + NumberStore.COLUMNS
                    + " FROM phone_numbers WHERE id = $1")
                .execute(Tuple.of(inserted.id())))
            .map(rows -> NumberStore.toJson(rows.iterator().next())));
  }

  private Future<JsonObject> list(JsonObject request) {
    String accountId = request.getString("accountId");
    int limit = request.getInteger("limit");
    int offset = request.getInteger("offset");
    Future<RowSet<Row>> page = pool.preparedQuery("SELECT " + NumberStore.COLUMNS
            + " FROM phone_numbers WHERE account_id = $1 AND status = 'active' "
            + "ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3")
        .execute(Tuple.of(accountId, limit, offset));
    Future<Long> total = pool.preparedQuery("SELECT count(*) FROM phone_numbers "
            + "WHERE account_id = $1 AND status = 'active'")
        .execute(Tuple.of(accountId))
        .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(page, total).map(both -> {
      JsonArray data = new JsonArray();
      page.result().forEach(row -> data.add(NumberStore.toJson(row)));
      return new JsonObject().put("data", data)
          .put("hasMore", offset + data.size() < total.result())
          .put("total", total.result());
    });
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

  private Future<JsonObject> findActive(JsonObject request) {
    return pool.preparedQuery("SELECT " + NumberStore.COLUMNS + " FROM phone_numbers "
            + "WHERE account_id = $1 AND phone_number = $2 AND status = 'active'")
        .execute(Tuple.of(request.getString("accountId"), request.getString("phoneNumber")))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound("Phone number " + request.getString("phoneNumber")
                + " on this account");
          }
          return NumberStore.toJson(rows.iterator().next());
        });
  }

  private Future<JsonObject> get(JsonObject request) {
    return find(request.getString("accountId"), request.getString("numberId"))
        .map(NumberStore::toJson);
  }

  /** Releases at the provider first: a number we still pay for must stay visible. */
  private Future<JsonObject> release(JsonObject request) {
    String accountId = request.getString("accountId");
    return find(accountId, request.getString("numberId")).compose(row -> {
      if (!"active".equals(row.getString("status"))) {
        throw ApiError.badRequest("This phone number was already released");
      }
      ProvisionedNumber held = new ProvisionedNumber(row.getString("phone_number"),
          row.getString("country"), row.getString("provider_sid"));
      return releaseAtOwner(row.getString("provider"), held)
          .compose(v -> pool.preparedQuery("UPDATE phone_numbers SET status = 'released', "
                  + "released_at = now() WHERE account_id = $1 AND id = $2 AND status = 'active' "
                  + "RETURNING " + NumberStore.COLUMNS)
              .execute(Tuple.of(accountId, row.getString("id"))))
          .map(rows -> {
            if (rows.size() == 0) {
              throw ApiError.badRequest("This phone number was already released");
            }
            Row released = rows.iterator().next();
            announce(vertx, "released", accountId, released.getString("id"),
                released.getString("phone_number"), released.getString("agent_id"));
            return new JsonObject().put("success", true)
                .put("id", released.getString("id"))
                .put("phoneNumber", released.getString("phone_number"))
                .put("status", released.getString("status"));
          });
    });
  }

  /** The provider that sold the number; none when this engine no longer runs it. */
  private Future<Void> releaseAtOwner(String provider, ProvisionedNumber number) {
    Telephony telephony = engine.providers().telephony();
    IMessage imessage = engine.providers().imessage();
    if (telephony.name().equals(provider)) {
      return telephony.release(number);
    }
    if (imessage != null && imessage.name().equals(provider)) {
      return imessage.release(number);
    }
    return Future.succeededFuture();
  }

  private Future<Void> agentExists(String accountId, String agentId) {
    return Bus.request(vertx, AgentsVerticle.GET, new JsonObject().put("accountId", accountId)
        .put("agentId", agentId)).mapEmpty();
  }

  private Future<JsonObject> attach(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    String numberId = request.getString("numberId");
    return agentExists(accountId, agentId)
        .compose(v -> find(accountId, numberId))
        .compose(row -> {
          if (!"active".equals(row.getString("status"))) {
            throw ApiError.badRequest("This phone number was released and cannot be attached");
          }
          return pool.preparedQuery("UPDATE phone_numbers SET agent_id = $3 WHERE account_id = $1 "
                  + "AND id = $2 AND status = 'active' RETURNING " + NumberStore.COLUMNS)
              .execute(Tuple.of(accountId, numberId, agentId));
        })
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.badRequest("This phone number was released and cannot be attached");
          }
          Row row = rows.iterator().next();
          announce(vertx, "attached", accountId, numberId, row.getString("phone_number"), agentId);
          return new JsonObject().put("agentId", agentId).put("number", NumberStore.agentNumber(row));
        });
  }

  private Future<JsonObject> detach(JsonObject request) {
    String accountId = request.getString("accountId");
    String agentId = request.getString("agentId");
    String numberId = request.getString("numberId");
    return agentExists(accountId, agentId)
        .compose(v -> find(accountId, numberId))
        .compose(row -> pool.preparedQuery("UPDATE phone_numbers SET agent_id = NULL "
                + "WHERE account_id = $1 AND id = $2 AND agent_id = $3 RETURNING "
                + NumberStore.COLUMNS)
            .execute(Tuple.of(accountId, numberId, agentId)))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.badRequest("This phone number is not attached to this agent");
          }
          Row row = rows.iterator().next();
          announce(vertx, "detached", accountId, numberId, row.getString("phone_number"), agentId);
          return new JsonObject().put("success", true).put("agentId", agentId)
              .put("number", NumberStore.agentNumber(row));
        });
  }
}
