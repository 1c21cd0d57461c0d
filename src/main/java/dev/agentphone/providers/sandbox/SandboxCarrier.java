package dev.agentphone.providers.sandbox;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Times;
import dev.agentphone.providers.telephony.Telephony.OutboundMessage;
import dev.agentphone.providers.telephony.Telephony.ProvisionedNumber;
import dev.agentphone.providers.telephony.Telephony.SentMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * The sandbox's phone company, shared by its SMS and iMessage twins: fictional numbers nobody
 * else holds, and an outbox of what was "delivered" ({@code GET /sandbox/sms}).
 */
public final class SandboxCarrier {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> COUNTRIES = List.of("US", "CA");
  private final Pool pool;
  private final NumbersInUse inUse;

  public SandboxCarrier(Pool pool, NumbersInUse inUse) {
    this.pool = pool;
    this.inUse = inUse;
  }

  /** A fictional number not active in this engine, in {@code areaCode} when given. */
  public Future<ProvisionedNumber> allocate(String country, String areaCode) {
    if (!COUNTRIES.contains(country)) {
      return Future.failedFuture(ApiError.badRequest("The sandbox has numbers in US and CA only, not "
          + country));
    }
    List<String> candidates = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      candidates.add(SandboxNumbers.candidate(areaCode));
    }
    return inUse.activeAmong(candidates)
        .map(taken -> {
          String free = candidates.stream().filter(c -> !taken.contains(c)).findFirst()
              .orElseThrow(() -> ApiError.badRequest("No sandbox numbers available"
                  + (areaCode != null ? " in area code " + areaCode : "") + "; try another area code"));
          return new ProvisionedNumber(free, country, "SB" + hex(16));
        });
  }

  public Future<SentMessage> deliver(String channel, OutboundMessage message) {
    String sid = (channel.equals("imessage") ? "IM" : "SM") + hex(16);
    return pool.preparedQuery("INSERT INTO sandbox_sms (account_id, sid, channel, from_number, "
            + "to_number, body, media_urls) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .execute(Tuple.of(message.accountId(), sid, channel, message.from(), message.to(),
            message.body(), new JsonArray(message.mediaUrls())))
        .map(r -> new SentMessage(sid, "sent"));
  }

  /** What the sandbox delivered for an account, newest first. */
  public static Future<JsonArray> outbox(Pool pool, String accountId, int limit) {
    return pool.preparedQuery("SELECT sid, channel, from_number, to_number, body, media_urls, "
            + "sent_at FROM sandbox_sms WHERE account_id = $1 ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(accountId, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row row : rows) {
            out.add(new JsonObject()
                .put("sid", row.getString("sid"))
                .put("channel", row.getString("channel"))
                .put("from", row.getString("from_number"))
                .put("to", row.getString("to_number"))
                .put("body", row.getString("body"))
                .put("mediaUrls", row.getJsonArray("media_urls"))
                .put("sentAt", Times.format(row.getOffsetDateTime("sent_at"))));
          }
          return out;
        });
  }

  static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
