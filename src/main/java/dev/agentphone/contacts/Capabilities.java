package dev.agentphone.contacts;

import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersApi.ActiveNumber;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.imessage.IMessage;
import dev.agentphone.providers.telephony.LineLookup;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

/**
 * Which channels reach a phone number from an account, without sending anything
 * ({@code ContactCapabilitiesResponse}). SMS is what the line lookup says of the line (Twilio
 * Lookup's line type with Twilio). iMessage is asked of the iMessage carrier from the account's
 * own iMessage line, so it is true only when the account has one and the number is on iMessage:
 * without an iMessage line (always in live mode, which has no iMessage carrier) it is false.
 *
 * <p>Answers are kept per account and number in {@code contact_capabilities} for
 * {@code contacts.capabilitiesTtlSeconds}, shared by every node. An answer given while the
 * account had no iMessage line is checked again once it has one.
 */
public final class Capabilities {
  private final Pool pool;
  private final LineLookup lines;
  private final IMessage imessage;
  private final NumbersApi numbers;
  private final long ttlSeconds;

  /** {@code imessage} is null where no iMessage carrier is configured. */
  public Capabilities(Pool pool, LineLookup lines, IMessage imessage, NumbersApi numbers,
      long ttlSeconds) {
    this.pool = pool;
    this.lines = lines;
    this.imessage = imessage;
    this.numbers = numbers;
    this.ttlSeconds = ttlSeconds;
  }

  /** {@code {accountId, phoneNumber}} (E.164) → the capabilities, from the cache when fresh. */
  Future<JsonObject> check(JsonObject request) {
    String accountId = request.getString("accountId");
    String phoneNumber = request.getString("phoneNumber");
    Future<ActiveNumber> line = imessage == null ? Future.succeededFuture()
        : numbers.firstActive(accountId, "imessage");
    return line.compose(from -> pool.preparedQuery("SELECT sms, imessage, checked_at FROM "
            + "contact_capabilities WHERE account_id = $1 AND phone_number = $2 "
            + "AND checked_at > now() - make_interval(secs => $3)")
        .execute(Tuple.of(accountId, phoneNumber, (double) ttlSeconds))
        .compose(rows -> {
          Row cached = rows.size() == 0 ? null : rows.iterator().next();
          if (cached != null && (cached.getBoolean("imessage") != null || from == null)) {
            return Future.succeededFuture(answer(phoneNumber, cached));
          }
          return fresh(accountId, phoneNumber, from);
        }));
  }

  private Future<JsonObject> fresh(String accountId, String phoneNumber, ActiveNumber from) {
    Future<LineLookup.Line> sms = lines.lookup(phoneNumber);
    Future<Boolean> onIMessage = from == null ? Future.succeededFuture()
        : imessage.reaches(accountId, from.phoneNumber(), phoneNumber);
    return Future.all(sms, onIMessage).compose(both -> pool.preparedQuery("INSERT INTO "
            + "contact_capabilities (account_id, phone_number, sms, imessage, checked_at) "
            + "VALUES ($1, $2, $3, $4, now()) ON CONFLICT (account_id, phone_number) DO UPDATE "
            + "SET sms = $3, imessage = $4, checked_at = now() RETURNING sms, imessage, checked_at")
        .execute(Tuple.of(accountId, phoneNumber, sms.result().sms(), onIMessage.result()))
        .map(rows -> answer(phoneNumber, rows.iterator().next())));
  }

  private static JsonObject answer(String phoneNumber, Row row) {
    return new JsonObject()
        .put("phoneNumber", phoneNumber)
        .put("capabilities", new JsonObject()
            .put("imessage", Boolean.TRUE.equals(row.getBoolean("imessage")))
            .put("sms", row.getBoolean("sms")))
        .put("checkedAt", Times.format(row.getOffsetDateTime("checked_at")));
  }
}
