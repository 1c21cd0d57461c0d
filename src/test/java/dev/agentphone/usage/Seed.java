package dev.agentphone.usage;

import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores messages, calls and webhook deliveries straight into the database with explicit
 * timestamps, as the engine's own paths would have stored them (the counters follow by trigger).
 */
final class Seed {
  private static final AtomicLong SEQ = new AtomicLong();
  private static final DateTimeFormatter SQL = DateTimeFormatter.ofPattern(
      "yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

  private final TestEngine engine;
  final String accountId;
  final String agentId;
  final String numberId;
  final String key;

  Seed(TestEngine engine, JsonObject signedUp) {
    this.engine = engine;
    this.accountId = signedUp.getString("account_id");
    this.agentId = signedUp.getString("agent_id");
    this.numberId = signedUp.getString("number_id");
    this.key = signedUp.getString("api_key");
  }

  static Seed signUp(TestEngine engine, String name) {
    return new Seed(engine, engine.signUp(name + "-" + System.nanoTime() + "@example.com"));
  }

  static String ts(OffsetDateTime at) {
    return "'" + SQL.format(at.withOffsetSameInstant(ZoneOffset.UTC)) + "'::timestamptz";
  }

  private String conversation(String numberId) {
    String id = "conv_seed" + SEQ.incrementAndGet();
    engine.sql("INSERT INTO conversations (id, account_id, phone_number_id, participant, "
        + "last_message_at) VALUES (?, ?, ?, ?, now())", id, accountId, numberId,
        "+1212555" + String.format("%04d", SEQ.get() % 10000));
    return id;
  }

  /** Messages through {@code numberId} at the given times, one statement. */
  void messages(String numberId, String direction, OffsetDateTime... times) {
    String conversation = conversation(numberId);
    StringBuilder values = new StringBuilder();
    for (OffsetDateTime at : times) {
      if (values.length() > 0) {
        values.append(", ");
      }
      values.append("('msg_seed").append(SEQ.incrementAndGet()).append("', '")
          .append(accountId).append("', '").append(conversation).append("', '")
          .append(numberId).append("', '").append(direction).append("', ").append(ts(at))
          .append(")");
    }
    engine.sql("INSERT INTO messages (id, account_id, conversation_id, phone_number_id, "
        + "direction, channel, from_number, to_number, status, created_at) "
        + "SELECT v.id, v.account_id, v.conversation_id, v.number_id, v.direction, 'sms', "
        + "'+12125550100', '+12125550101', 'delivered', v.at FROM (VALUES " + values
        + ") AS v (id, account_id, conversation_id, number_id, direction, at)");
  }

  void messages(OffsetDateTime... times) {
    messages(numberId, "inbound", times);
  }

  /** A finished call through {@code numberId} for {@code agentId}. */
  String call(String agentId, String numberId, OffsetDateTime startedAt, int durationSeconds) {
    String id = "call_seed" + SEQ.incrementAndGet();
    engine.sql("INSERT INTO calls (id, account_id, agent_id, phone_number_id, type, direction, "
        + "from_number, to_number, status, voice_mode, started_at, ended_at, duration_seconds) "
        + "VALUES (?, ?, ?, ?, 'pstn', 'outbound', '+12125550100', '+12125550101', 'completed', "
        + "'hosted', " + ts(startedAt) + ", " + ts(startedAt.plusSeconds(durationSeconds))
        + ", ?)", id, accountId, agentId, numberId, durationSeconds);
    return id;
  }

  void calls(OffsetDateTime... times) {
    for (OffsetDateTime at : times) {
      call(agentId, numberId, at, 30);
    }
  }

  String webhook(String status, OffsetDateTime createdAt) {
    String id = "whd_seed" + SEQ.incrementAndGet();
    engine.sql("INSERT INTO webhook_deliveries (id, account_id, webhook_id, agent_webhook, "
        + "event_id, event_type, body, status, created_at) VALUES (?, ?, 'wh_seed', false, ?, "
        + "'agent.message', '\\x7b7d'::bytea, ?, " + ts(createdAt) + ")", id, accountId,
        "evt_seed" + SEQ.incrementAndGet(), status);
    return id;
  }
}
