package dev.agentphone.lab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * What a failing {@code expect} prints about its call: the call's timeline
 * ({@code GET /v1/calls/{id}/timeline}: events and per-turn engine and webhook time). An engine
 * that has no timeline endpoint (404) gets the call's status and transcript instead.
 */
final class CallReport {
  private CallReport() {
  }

  static List<String> of(LabHttp http, String callId) {
    List<String> lines = new ArrayList<>();
    try {
      LabHttp.Answer timeline = http.get("/v1/calls/" + callId + "/timeline");
      if (timeline.ok()) {
        timeline(timeline.json(), lines);
        if (timeline.json().getJsonArray("turns", new JsonArray()).isEmpty()) {
          // a hosted agent's turns are answered by the provider's model: show what was said
          transcript(http, callId, lines);
        }
      } else {
        fallback(http, callId, lines);
      }
    } catch (RuntimeException e) {
      lines.add("(no report: " + e.getMessage() + ")");
    }
    return lines;
  }

  private static void timeline(JsonObject timeline, List<String> lines) {
    lines.add("timeline of " + timeline.getString("callId") + " (" + timeline.getString("status")
        + ", started " + timeline.getString("startedAt") + ")");
    for (Object e : timeline.getJsonArray("events", new JsonArray())) {
      JsonObject event = (JsonObject) e;
      lines.add(String.format("  +%6d ms  %s %s", event.getLong("offsetMs", 0L),
          event.getString("type"), event.getValue("data") == null ? "" : event.getValue("data")));
    }
    for (Object t : timeline.getJsonArray("turns", new JsonArray())) {
      JsonObject turn = (JsonObject) t;
      lines.add(String.format("  +%6d ms  turn %s %s: engine %s ms, webhook %s ms",
          turn.getLong("offsetMs", 0L), turn.getValue("responseId"), turn.getString("outcome"),
          turn.getValue("engineMs"), turn.getValue("webhookMs")));
    }
  }

  private static void fallback(LabHttp http, String callId, List<String> lines) {
    JsonObject call = http.get("/v1/calls/" + callId).json();
    lines.add("call " + callId + ": " + call.getString("status")
        + (call.getString("disconnectionReason") == null ? ""
            : " (" + call.getString("disconnectionReason") + ")") + " (no timeline here)");
    transcript(http, callId, lines);
  }

  private static void transcript(LabHttp http, String callId, List<String> lines) {
    JsonObject call = http.get("/v1/calls/" + callId).json();
    JsonArray turns = http.get("/v1/calls/" + callId + "/transcript").json()
        .getJsonArray("data", call.getJsonArray("transcripts", new JsonArray()));
    for (Object t : turns) {
      JsonObject turn = (JsonObject) t;
      if (turn.getString("transcript") != null) {
        lines.add("  caller: " + turn.getString("transcript"));
      }
      if (turn.getString("response") != null) {
        lines.add("  agent:  " + turn.getString("response"));
      }
    }
  }
}
