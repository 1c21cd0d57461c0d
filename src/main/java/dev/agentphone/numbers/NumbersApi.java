package dev.agentphone.numbers;

import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The numbers domain's published API over the event bus. Operations named for an account are
 * scoped to it (another account's number is not found, 404); the few that are not
 * ({@link #routeInbound}, {@link #activeAmong}) serve providers' traffic, which names a phone
 * number, not an account.
 */
public final class NumbersApi {
  static final String BUY = "numbers.buy";
  static final String LIST = "numbers.list";
  static final String GET = "numbers.get";
  static final String RELEASE = "numbers.release";
  static final String ATTACH = "numbers.attach";
  static final String DETACH = "numbers.detach";
  static final String FIND_ACTIVE = "numbers.find-active";
  static final String ACTIVE_BY_PHONE = "numbers.active-by-phone";
  static final String ROUTE_INBOUND = "numbers.route-inbound";
  static final String ACTIVE_AMONG = "numbers.active-among";
  static final String FIRST_ACTIVE = "numbers.first-active";
  /** Published, node-local only: a {@link Change} after it committed. */
  static final String CHANGED = "numbers.changed";
  /**
   * Published cluster-wide after a change committed: the body is the phone number whose route
   * (which account, number and agent it reaches) may have changed.
   */
  static final String ROUTE_CHANGED = "numbers.route-changed";

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private final Vertx vertx;

  public NumbersApi(Vertx vertx) {
    this.vertx = vertx;
  }

  /** An active number as other domains use it. */
  public record ActiveNumber(String id, String accountId, String agentId, String phoneNumber,
      String country, String type) {
    static ActiveNumber of(JsonObject json) {
      return json == null ? null : new ActiveNumber(json.getString("id"),
          json.getString("accountId"), json.getString("agentId"), json.getString("phoneNumber"),
          json.getString("country"), json.getString("type"));
    }
  }

  /** A committed change to an account's numbers: {@code purchased}, {@code released}, … */
  public record Change(String action, String accountId, String numberId, String phoneNumber,
      String agentId) {
  }

  public Future<JsonObject> buy(String accountId, String country, String areaCode,
      String agentId, String type) {
    return Bus.request(vertx, BUY, Bus.scope(accountId).put("country", country)
        .put("areaCode", areaCode).put("agentId", agentId).put("type", type));
  }

  /** The account's active numbers, newest first. */
  public Future<JsonObject> list(String accountId, int limit, int offset) {
    return Bus.request(vertx, LIST, Bus.scope(accountId).put("limit", limit).put("offset", offset));
  }

  /** A number of the account, also after its release ({@code PhoneNumberResponse}). */
  public Future<JsonObject> get(String accountId, String numberId) {
    return Bus.request(vertx, GET, Bus.scope(accountId).put("numberId", numberId));
  }

  public Future<JsonObject> release(String accountId, String numberId) {
    return Bus.request(vertx, RELEASE, Bus.scope(accountId).put("numberId", numberId));
  }

  public Future<JsonObject> attach(String accountId, String agentId, String numberId) {
    return Bus.request(vertx, ATTACH, Bus.scope(accountId).put("agentId", agentId)
        .put("numberId", numberId));
  }

  public Future<JsonObject> detach(String accountId, String agentId, String numberId) {
    return Bus.request(vertx, DETACH, Bus.scope(accountId).put("agentId", agentId)
        .put("numberId", numberId));
  }

  /** An active number of the account by its id; 404 when it has none such. */
  public Future<ActiveNumber> findActive(String accountId, String numberId) {
    return Bus.<JsonObject>request(vertx, FIND_ACTIVE, Bus.scope(accountId).put("numberId", numberId))
        .map(ActiveNumber::of);
  }

  /** The account's oldest active number of {@code type} ({@code sms}, {@code imessage}), or null. */
  public Future<ActiveNumber> firstActive(String accountId, String type) {
    return Bus.<JsonObject>request(vertx, FIRST_ACTIVE, Bus.scope(accountId).put("type", type))
        .map(ActiveNumber::of);
  }

  /** The account's active number with this phone number ({@code PhoneNumberResponse}), or 404. */
  public Future<JsonObject> activeByPhone(String accountId, String phoneNumber) {
    return Bus.request(vertx, ACTIVE_BY_PHONE, Bus.scope(accountId).put("phoneNumber", phoneNumber));
  }

  /** Whichever account's active number has this phone number (where a provider's call or message goes), or null. */
  public Future<ActiveNumber> routeInbound(String phoneNumber) {
    return Bus.<JsonObject>request(vertx, ROUTE_INBOUND,
        new JsonObject().put("phoneNumber", phoneNumber)).map(ActiveNumber::of);
  }

  /** Which of {@code phoneNumbers} are active numbers of any account. */
  public Future<Set<String>> activeAmong(List<String> phoneNumbers) {
    return Bus.<JsonArray>request(vertx, ACTIVE_AMONG,
            new JsonObject().put("phoneNumbers", new JsonArray(List.copyOf(phoneNumbers))))
        .map(taken -> {
          Set<String> out = new HashSet<>();
          taken.forEach(number -> out.add(String.valueOf(number)));
          return out;
        });
  }

  /**
   * Announces a change to an account's numbers on this node; call only once it committed (also
   * for a number another domain stored in its own transaction, as signup does).
   */
  public void announce(Change change) {
    vertx.eventBus().publish(CHANGED, new JsonObject()
        .put("action", change.action())
        .put("accountId", change.accountId())
        .put("numberId", change.numberId())
        .put("phoneNumber", change.phoneNumber())
        .put("agentId", change.agentId()), LOCAL);
    if (change.phoneNumber() != null) {
      vertx.eventBus().publish(ROUTE_CHANGED, change.phoneNumber());
    }
  }

  /**
   * Calls {@code handler} with the phone number of every change announced on any node of the
   * cluster (this one included), for caches of {@link #routeInbound}'s answers. The consumer is
   * registered across the cluster once its completion succeeds.
   */
  public MessageConsumer<String> onRouteChange(Handler<String> handler) {
    return vertx.eventBus().<String>consumer(ROUTE_CHANGED,
        message -> handler.handle(message.body()));
  }

  /** Calls {@code handler} with every change announced on this node. */
  public MessageConsumer<JsonObject> onChange(Handler<Change> handler) {
    return vertx.eventBus().<JsonObject>localConsumer(CHANGED, message -> {
      JsonObject c = message.body();
      handler.handle(new Change(c.getString("action"), c.getString("accountId"),
          c.getString("numberId"), c.getString("phoneNumber"), c.getString("agentId")));
    });
  }
}
