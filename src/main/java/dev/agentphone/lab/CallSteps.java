package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

import java.util.concurrent.CompletableFuture;

/**
 * The caller's steps, played through the sandbox's call simulator (the simulated Retell, which
 * sends the engine Retell's signed webhooks and speaks the LLM socket): {@code call},
 * {@code say}, {@code interrupt}, {@code dtmf}, {@code silence}, {@code hangup}. Each answers
 * the short "what happened" its line prints.
 */
final class CallSteps {
  static final String DEFAULT_CALLER = "+14155550142";

  private CallSteps() {
  }

  /**
   * {@code call: {from?}} dials the account's number; {@code call: {to, answeredBy?, screening?}}
   * has the agent call out to a sandbox phone answered by a person or voicemail, with or
   * without a call screener picking up first.
   */
  static String call(RunContext run, CallState state, JsonObject arg) {
    LabHttp http = run.http();
    String to = arg.getString("to");
    String id;
    if (to == null) {
      id = http.post("/sandbox/calls", new JsonObject()
              .put("from", arg.getString("from", DEFAULT_CALLER))
              .put("to", run.account().phoneNumber()))
          .required().getString("callId");
    } else {
      http.put("/sandbox/phones/" + to, new JsonObject()
          .put("answeredBy", arg.getString("answeredBy", "human"))
          .put("screening", arg.getBoolean("screening", false))).required();
      JsonObject placed = new JsonObject().put("agentId", run.agentId()).put("toNumber", to);
      if (arg.getString("greeting") != null) {
        placed.put("initialGreeting", arg.getString("greeting"));
      }
      id = http.post("/v1/calls", placed).required().getString("id");
    }
    state.newCall(id);
    return id;
  }

  /** {@code say: text} or {@code say: {text, wait: false}}; {@code interrupt} barges in. */
  static String say(RunContext run, CallState state, JsonObject arg, boolean interrupt) {
    String step = interrupt ? "interrupt" : "say";
    String text = arg.getString("text");
    if (text == null) {
      throw new ScenarioException(step + ": write the caller's words, `" + step + ": \"…\"`");
    }
    String path = "/sandbox/calls/" + state.call(step) + "/say";
    JsonObject body = new JsonObject().put("text", text).put("interrupt", interrupt);
    CompletableFuture<LabHttp.Answer> answer = run.http().sendAsync("POST", path, body)
        .thenApply(a -> {
          if (a.ok()) {
            measured(state, a.json());
          }
          return a;
        });
    if (!arg.getBoolean("wait", true)) {
      state.unanswered.add(answer);
      return "said, not waiting for the answer";
    }
    return replied(state, answer.join().required());
  }

  static String dtmf(RunContext run, CallState state, JsonObject arg) {
    String digits = arg.getValue("digits") == null ? null : arg.getValue("digits").toString();
    JsonObject answer = run.http().post("/sandbox/calls/" + state.call("dtmf") + "/dtmf",
        new JsonObject().put("digits", digits)).required();
    measured(state, answer);
    return replied(state, answer);
  }

  static String silence(RunContext run, CallState state, Object arg) {
    long ms = Durations.millis(arg, "silence");
    JsonObject answer = run.http().post("/sandbox/calls/" + state.call("silence") + "/silence",
        new JsonObject().put("ms", ms)).required();
    return answer.getString("status") + (answer.getString("disconnectionReason") == null ? ""
        : " (" + answer.getString("disconnectionReason") + ")");
  }

  static String hangup(RunContext run, CallState state) {
    run.http().post("/sandbox/calls/" + state.call("hangup") + "/hangup", new JsonObject())
        .required();
    state.settle();
    return "hung up";
  }

  /**
   * The turn's latency as the caller's side of the call (the simulated Retell) saw it: from
   * the utterance handed over to the agent's first words. Superseded turns and turns the
   * caller hung up on have none.
   */
  private static void measured(CallState state, JsonObject answer) {
    if (answer.getValue("latencyMs") instanceof Number ms
        && !answer.getBoolean("superseded", false) && !answer.getBoolean("callerHungUp", false)) {
      state.turnMillis.add(ms.doubleValue());
    }
  }

  private static String replied(CallState state, JsonObject answer) {
    state.lastReply = answer.getString("reply", "");
    String said = "agent: \"" + state.lastReply + "\"";
    if (answer.getBoolean("superseded", false)) {
      return said + " (superseded)";
    }
    return answer.getBoolean("endCall", false) ? said + " (agent hung up)" : said;
  }
}
