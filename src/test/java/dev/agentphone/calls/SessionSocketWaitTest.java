package dev.agentphone.calls;

import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import dev.agentphone.usage.CallBudget;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A webhook-mode call's session waits for the call's LLM socket after {@code call_started}
 * ({@code calls.sessionSocketWaitMillis}), so that it starts on the socket's event loop; when
 * no socket comes, the session starts all the same and does its work.
 */
class SessionSocketWaitTest {

  @Test
  void aCallWhoseSocketNeverComesStillHasItsSessionEndItAtThePlansLimit() {
    try (TestEngine engine = TestEngine.builder()
        .config(Map.of("plans.catalog.starter.limits.maxCallDurationMinutes", 0.02,
            "calls.sessionSocketWaitMillis", 300)).start();
         RetellDriver retell = new RetellDriver(engine)) {
      JsonObject account = engine.signUp("nosocket-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      assertThat(engine.api.patch("/v1/agents/" + account.getString("agent_id"), key,
          new JsonObject().put("voiceMode", "webhook").putNull("beginMessage")).status())
          .isEqualTo(200);
      String rid = "rc_nosocket_" + System.nanoTime();
      assertThat(retell.webhook("call_started", RetellDriver.call(rid, "inbound",
          "+14155550199", account.getString("phone_number"))).status()).isEqualTo(204);
      String callId = (String) engine.sql("SELECT id FROM calls WHERE retell_call_id = ?", rid)
          .get(0).get("id");
      assertThat(engine.api.get("/v1/calls/" + callId, key).json().getString("status"))
          .isEqualTo("in-progress");
      // 0.02 minutes = 1.2 s after the call started, with no socket ever
      poll(() -> !"in-progress".equals(engine.api.get("/v1/calls/" + callId, key).json()
          .getString("status")));
      assertThat(engine.api.get("/v1/calls/" + callId, key).json()
          .getString("disconnectionReason")).isEqualTo(CallBudget.MAX_DURATION_REASON);
    }
  }
}
