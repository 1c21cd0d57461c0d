package dev.agentphone.usage;

import dev.agentphone.support.TestEngine;

/** Large volumes in one statement each: {@code INSERT … SELECT generate_series}. */
public final class BulkSeed {
  private BulkSeed() {
  }

  /**
   * {@code count} messages (every other one outbound) through the account's number, spread
   * evenly over the last {@code days} days.
   */
  public static void messages(TestEngine engine, String accountId, String numberId, int count,
      int days) {
    String conversation = "conv_bulk_" + accountId;
    engine.sql("INSERT INTO conversations (id, account_id, phone_number_id, participant, "
        + "last_message_at) VALUES (?, ?, ?, '+12125550199', now()) ON CONFLICT DO NOTHING",
        conversation, accountId, numberId);
    engine.sql("INSERT INTO messages (id, account_id, conversation_id, phone_number_id, "
        + "direction, channel, from_number, to_number, body, status, created_at) "
        + "SELECT 'msg_bulk_' || ? || '_' || g, ?, ?, ?, "
        + "CASE WHEN g % 2 = 0 THEN 'outbound' ELSE 'inbound' END, 'sms', '+12125550199', "
        + "'+12125550100', 'Seeded message number ' || g, 'delivered', "
        + "now() - (g::double precision / ? * ?) * interval '1 day' "
        + "FROM generate_series(1, ?) AS g",
        accountId, accountId, conversation, numberId, count, days, count);
  }

  /** {@code count} finished calls of the account's agent, spread over the last {@code days}. */
  public static void calls(TestEngine engine, String accountId, String agentId, String numberId,
      int count, int days) {
    engine.sql("INSERT INTO calls (id, account_id, agent_id, phone_number_id, type, direction, "
        + "from_number, to_number, status, voice_mode, started_at, duration_seconds) "
        + "SELECT 'call_bulk_' || ? || '_' || g, ?, ?, ?, 'pstn', 'outbound', '+12125550199', "
        + "'+12125550100', 'completed', 'hosted', "
        + "now() - (g::double precision / ? * ?) * interval '1 day', 60 "
        + "FROM generate_series(1, ?) AS g",
        accountId, accountId, agentId, numberId, count, days, count);
  }

  /**
   * {@code count} settled webhook deliveries (nine in ten successful) spread over the last
   * {@code days} days, in statements of 10,000: a delivery's counters are kept per row, and the
   * dispatcher never writes more than a batch of them in one transaction.
   */
  public static void webhookDeliveries(TestEngine engine, String accountId, int count, int days) {
    for (int from = 1; from <= count; from += 10_000) {
      engine.sql("INSERT INTO webhook_deliveries (id, account_id, webhook_id, agent_webhook, "
          + "event_id, event_type, body, status, created_at) "
          + "SELECT 'whd_bulk_' || ? || '_' || g, ?, 'wh_bulk', false, "
          + "'evt_bulk_' || ? || '_' || g, 'agent.message', '\\x7b7d'::bytea, "
          + "CASE WHEN g % 10 = 7 THEN 'failed' ELSE 'success' END, "
          + "now() - (g::double precision / ? * ?) * interval '1 day' "
          + "FROM generate_series(?, ?) AS g", accountId, accountId, accountId, count, days,
          from, Math.min(count, from + 9_999));
    }
  }
}
