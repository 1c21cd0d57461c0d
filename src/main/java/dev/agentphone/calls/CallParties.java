package dev.agentphone.calls;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** Who a call is between: the account's agent and number, and the other party. */
record CallParties(String callId, String accountId, String agentId, String numberId, String from,
    String to, String direction) {

  static CallParties of(Row row) {
    return new CallParties(row.getString("id"), row.getString("account_id"),
        row.getString("agent_id"), row.getString("phone_number_id"),
        row.getString("from_number"), row.getString("to_number"), row.getString("direction"));
  }

  /** The other party's number: the caller of an inbound call, the callee of an outbound one. */
  String otherParty() {
    return "outbound".equals(direction) ? to : from;
  }

  /** The call as a tool is told about it. */
  JsonObject toJson() {
    return new JsonObject().put("id", callId).put("agentId", agentId).put("direction", direction)
        .put("from", from).put("to", to);
  }
}
