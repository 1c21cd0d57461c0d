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
 * else holds, and an outbox of what it was asked to do: messages "delivered", and the iMessage
 * twin's typing, background and group requests ({@code GET /sandbox/sms}).
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
    return record(new Request(message.accountId(), channel.equals("imessage") ? "IM" : "SM",
            channel, "message", message.from(), message.to(), message.body(),
            message.mediaUrls(), new JsonObject()))
        .map(sid -> new SentMessage(sid, "sent"));
  }

  /**
   * One request to the carrier: {@code action} ({@code message}, {@code typing},
   * {@code background.set}, …) from our number to a chat, with what else was asked in
   * {@code details}; its id starts with {@code sidPrefix}.
   */
  public record Request(String accountId, String sidPrefix, String channel, String action,
      String from, String to, String body, List<String> mediaUrls, JsonObject details) {
  }

  /** Keeps the request in the outbox; answers the carrier's id for it. */
  public Future<String> record(Request request) {
    String sid = request.sidPrefix() + hex(16);
    return pool.preparedQuery("INSERT INTO sandbox_sms (account_id, sid, channel, action, "
            + "from_number, to_number, body, media_urls, details) "
            + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .execute(Tuple.from(new Object[] {request.accountId(), sid, request.channel(),
            request.action(), request.from(), request.to(),
            request.body() == null ? "" : request.body(),
            new JsonArray(List.copyOf(request.mediaUrls())), request.details()}))
        .map(r -> sid);
  }

  /** What the sandbox carrier was asked to do for an account, newest first. */
  public static Future<JsonArray> outbox(Pool pool, String accountId, int limit) {
    return pool.preparedQuery("SELECT sid, channel, action, from_number, to_number, body, "
            + "media_urls, details, sent_at FROM sandbox_sms WHERE account_id = $1 "
            + "ORDER BY id DESC LIMIT $2")
        .execute(Tuple.of(accountId, limit))
        .map(rows -> {
          JsonArray out = new JsonArray();
          for (Row row : rows) {
            out.add(new JsonObject()
                .put("sid", row.getString("sid"))
                .put("action", row.getString("action"))
                .put("channel", row.getString("channel"))
                .put("from", row.getString("from_number"))
                .put("to", row.getString("to_number"))
                .put("body", row.getString("body"))
                .put("mediaUrls", row.getJsonArray("media_urls"))
                .put("details", row.getJsonObject("details"))
                .put("sentAt", Times.format(row.getOffsetDateTime("sent_at"))));
          }
          return out;
        });
  }

  /** {@code bytes} random bytes in hex: the sandbox's provider ids. */
  public static String hex(int bytes) {
    byte[] random = new byte[bytes];
    RANDOM.nextBytes(random);
    return HexFormat.of().formatHex(random);
  }
}
