package dev.agentphone.lab;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code expect}: what must hold now, or become true within {@code within} (5 s by default), as
 * the engine reports it through its API. A mismatch fails the step with what was expected and
 * what happened.
 */
final class Expectations {
  static final Set<String> KEYS = Set.of("agentSays", "reply", "callStatus",
      "disconnectionReason", "webhook", "turnLatencyP99", "messageStatus", "errorCode", "within");
  private static final long POLL_MS = 100;

  private Expectations() {
  }

  static String check(RunContext run, CallState state, JsonObject expect) {
    for (String key : expect.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ScenarioException("expect: unknown key `" + key + "` (known: "
            + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    long within = expect.containsKey("within")
        ? Durations.millis(expect.getValue("within"), "expect.within") : 5_000;
    List<ExpectationFailed.Mismatch> mismatches = new ArrayList<>();
    List<String> held = new ArrayList<>();
    if (expect.containsKey("callStatus") || expect.containsKey("disconnectionReason")
        || expect.containsKey("turnLatencyP99")) {
      state.settle();
    }
    for (String key : List.of("agentSays", "reply", "callStatus", "disconnectionReason",
        "webhook", "turnLatencyP99", "messageStatus", "errorCode")) {
      if (!expect.containsKey(key)) {
        continue;
      }
      String actual = switch (key) {
        case "agentSays" -> agentSays(run, state, expect.getValue(key).toString(), within);
        case "reply" -> matches(expect.getValue(key).toString(), state.lastReply)
            ? null : quoted(state.lastReply);
        case "callStatus", "disconnectionReason" ->
            callField(run, state, key, expect.getValue(key).toString(), within);
        case "webhook" -> webhook(run, state, expect.getValue(key), within);
        case "turnLatencyP99" -> latency(state, Durations.millis(expect.getValue(key), key));
        default -> delivery(state, key, expect.getValue(key).toString());
      };
      if (actual == null) {
        held.add(key);
      } else {
        mismatches.add(new ExpectationFailed.Mismatch(key, describe(key, expect.getValue(key)),
            actual));
      }
    }
    if (!mismatches.isEmpty()) {
      throw new ExpectationFailed(mismatches);
    }
    String p99 = state.turnP99() < 0 ? "" : " (turn p99 " + state.turnP99() + " ms)";
    return String.join(", ", held) + " held" + (expect.containsKey("turnLatencyP99") ? p99 : "");
  }

  private static String describe(String key, Object expected) {
    return switch (key) {
      case "agentSays", "reply" -> "/" + expected + "/";
      case "turnLatencyP99" -> "≤ " + Durations.millis(expected, key) + " ms";
      default -> String.valueOf(expected);
    };
  }

  /** Null when some agent utterance not seen by an earlier {@code agentSays} matches. */
  private static String agentSays(RunContext run, CallState state, String regex, long within) {
    String call = state.call("expect agentSays");
    List<String> said = new ArrayList<>();
    boolean found = poll(within, () -> {
      said.clear();
      JsonArray turns = run.http().get("/v1/calls/" + call).required().getJsonArray("transcripts");
      for (int i = 0; turns != null && i < turns.size(); i++) {
        String response = turns.getJsonObject(i).getString("response");
        if (response != null && !response.isBlank()) {
          said.add(response);
        }
      }
      for (int i = state.agentUtterancesSeen; i < said.size(); i++) {
        if (matches(regex, said.get(i))) {
          state.agentUtterancesSeen = i + 1;
          return true;
        }
      }
      return false;
    });
    return found ? null : said.isEmpty() ? "the agent said nothing"
        : "the agent said " + String.join(" | ", said.stream().map(Expectations::quoted).toList());
  }

  private static String callField(RunContext run, CallState state, String field, String expected,
      long within) {
    String call = state.call("expect " + field);
    String[] actual = new String[1];
    boolean found = poll(within, () -> {
      actual[0] = run.http().get("/v1/calls/" + call).required().getString(
          field.equals("callStatus") ? "status" : field);
      return expected.equals(actual[0]);
    });
    return found ? null : String.valueOf(actual[0]);
  }

  private static String webhook(RunContext run, CallState state, Object spec, long within) {
    JsonObject want = spec instanceof JsonObject o ? o : new JsonObject().put("event", spec);
    String event = want.getString("event");
    String channel = want.getString("channel");
    String call = state.callId;
    JsonObject got = run.events().take(e -> event.equals(e.getString("event"))
        && (channel == null || channel.equals(e.getString("channel")))
        && (call == null || !"voice".equals(e.getString("channel"))
            || call.equals(e.getJsonObject("data", new JsonObject()).getString("callId"))), within);
    if (got != null) {
      return null;
    }
    List<String> seen = run.events().summary();
    return seen.isEmpty() ? "no webhook event arrived" : "only " + String.join(", ", seen);
  }

  private static String latency(CallState state, long limitMs) {
    double p99 = state.turnP99();
    if (p99 < 0) {
      return "no caller turn was answered on this call";
    }
    return p99 <= limitMs ? null : p99 + " ms over " + state.turnMillis.size() + " turns "
        + state.turnMillis;
  }

  private static String delivery(CallState state, String key, String expected) {
    if (state.lastDelivery == null) {
      return "no message was sent";
    }
    String actual = state.lastDelivery.getString(key.equals("messageStatus") ? "status" : key);
    return expected.equals(actual) ? null : String.valueOf(actual);
  }

  private static boolean poll(long within, Supplier<Boolean> test) {
    long deadline = System.currentTimeMillis() + within;
    while (true) {
      if (test.get()) {
        return true;
      }
      if (System.currentTimeMillis() >= deadline) {
        return false;
      }
      LabHttp.sleep(POLL_MS);
    }
  }

  static boolean matches(String regex, String text) {
    return text != null && Pattern.compile(regex).matcher(text).find();
  }

  private static String quoted(String text) {
    return text == null ? "nothing" : "\"" + text + "\"";
  }
}
