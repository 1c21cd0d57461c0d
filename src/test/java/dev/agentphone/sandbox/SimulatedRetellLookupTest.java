package dev.agentphone.sandbox;

import dev.agentphone.support.Api;
import dev.agentphone.support.RetellDriver;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated Retell answers Retell's {@code get-phone-number} and {@code get-agent} lookups,
 * so a process outside the engine can play Retell: find the agent answering a number and the
 * LLM socket the engine registered for it, then open that socket for a call.
 */
class SimulatedRetellLookupTest {
  static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.start();
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  @Test
  void aNumbersAgentAndItsLlmSocketCanBeLookedUpAndTheSocketServesACall() {
    JsonObject account = engine.signUp("lookup-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String number = account.getString("phone_number");
    engine.api.patch("/v1/agents/" + account.getString("agent_id"), key,
        new JsonObject().put("voiceMode", "webhook").putNull("beginMessage"));
    String path = "/sandbox/retell/get-phone-number/"
        + URLEncoder.encode(number, StandardCharsets.UTF_8);

    String[] socketPath = new String[1];
    poll(() -> {
      Api.Response imported = engine.api.get(path, RetellDriver.SANDBOX_KEY);
      String agent = imported.status() == 200
          ? imported.json().getString("inbound_agent_id") : null;
      if (agent == null) {
        return false;
      }
      Api.Response found = engine.api.get("/sandbox/retell/get-agent/" + agent,
          RetellDriver.SANDBOX_KEY);
      assertThat(found.status()).isEqualTo(200);
      assertThat(found.json().getString("agent_id")).isEqualTo(agent);
      String url = found.json().getJsonObject("response_engine").getString("llm_websocket_url");
      socketPath[0] = url == null ? null : java.net.URI.create(url).getRawPath();
      return socketPath[0] != null;
    });
    assertThat(engine.api.get(path, RetellDriver.SANDBOX_KEY).json().getString("phone_number"))
        .isEqualTo(number);

    // the socket found that way serves a call Retell announced
    try (RetellDriver retell = new RetellDriver(engine)) {
      String rid = "call_lookup" + System.nanoTime();
      assertThat(retell.webhook("call_started",
          RetellDriver.call(rid, "inbound", "+14155550100", number)).status()).isEqualTo(204);
      RetellDriver.Socket socket = retell.connectTo(socketPath[0] + "/" + rid);
      socket.send(new JsonObject().put("interaction_type", "ping_pong").put("timestamp", 42));
      assertThat(socket.await(f -> "ping_pong".equals(f.getString("response_type")))
          .getLong("timestamp")).isEqualTo(42L);
    }
  }

  @Test
  void lookupsNeedTheKeyAndNameSomethingThatExists() {
    assertThat(engine.api.get("/sandbox/retell/get-agent/agent_nope", "wrong-key").status())
        .isEqualTo(401);
    Api.Response agent = engine.api.get("/sandbox/retell/get-agent/agent_nope",
        RetellDriver.SANDBOX_KEY);
    assertThat(agent.status()).isEqualTo(404);
    assertThat(agent.json().getString("message")).isEqualTo("Agent not found");
    assertThat(engine.api.get("/sandbox/retell/get-phone-number/%2B19995550100",
        RetellDriver.SANDBOX_KEY).status()).isEqualTo(404);
  }
}
