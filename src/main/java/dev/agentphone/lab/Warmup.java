package dev.agentphone.lab;

import io.vertx.core.json.JsonObject;

/**
 * Before the scenarios, the runner's own engine carries one throwaway call and text on an
 * account of its own, so the first scenario's turns are not timed through a cold JVM (class
 * loading, the JIT, first connections). An engine at {@code --base} is measured as it is.
 */
final class Warmup {
  private Warmup() {
  }

  static void run(LabHttp anonymous) {
    try {
      LabAccount account = LabAccount.signUp(anonymous, "lab-warmup@example.com");
      LabHttp http = account.http();
      for (int round = 0; round < 3; round++) {
        String call = http.post("/sandbox/calls", new JsonObject()
            .put("from", CallSteps.DEFAULT_CALLER).put("to", account.phoneNumber()))
            .required().getString("callId");
        for (int turn = 0; turn < 5; turn++) {
          http.post("/sandbox/calls/" + call + "/say",
              new JsonObject().put("text", "Hello there").put("interrupt", true));
          http.post("/sandbox/calls/" + call + "/dtmf", new JsonObject().put("digits", "1"));
        }
        http.post("/sandbox/calls/" + call + "/hangup", new JsonObject());
        http.get("/v1/calls/" + call);
        http.post("/sandbox/sms", new JsonObject().put("from", CallSteps.DEFAULT_CALLER)
            .put("to", account.phoneNumber()).put("body", "Hi"));
      }
    } catch (RuntimeException e) {
      // a warm-up that fails leaves the scenarios to report what is wrong
    }
  }
}
