package dev.agentphone.agents;

import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agent changes while Retell is slow (the fake holds every answer until released): no database
 * connection waits for Retell, so more changes than the pool has connections are in flight at
 * once and the rest of the API keeps answering.
 */
class SlowRetellAgentsTest {
  static final int POOL = 2;
  /** Requests the engine's Retell client runs at once (its connection pool); more queue there. */
  static final int AT_RETELL = 5;
  static FakeRetellApi retell;
  static TestEngine engine;
  static ExecutorService clients = Executors.newFixedThreadPool(16);

  String key;
  String accountId;
  String signupAgent;

  @BeforeAll
  static void start() {
    retell = new FakeRetellApi();
    engine = TestEngine.builder().config(Map.of("retell.apiKey", "key_test_retell",
        "retell.baseUrl", retell.baseUrl(), "retell.requestTimeoutMillis", 20_000,
        "database.poolSize", POOL)).start();
  }

  @AfterAll
  static void stop() {
    clients.shutdownNow();
    engine.close();
    retell.close();
  }

  @BeforeEach
  void account() {
    JsonObject account = engine.signUp("slow-retell-" + System.nanoTime() + "@example.com");
    key = account.getString("api_key");
    accountId = account.getString("account_id");
    signupAgent = account.getString("agent_id");
    // the signup's number is imported into Retell in the background; let it finish first
    poll(() -> retell.to("/import-phone-number").stream().anyMatch(r ->
        r.body().getString("phone_number").equals(account.getString("phone_number"))));
    retell.requests.clear();
  }

  @AfterEach
  void heal() {
    retell.release();
    retell.heal();
  }

  private CompletableFuture<Api.Response> async(Supplier<Api.Response> request) {
    return CompletableFuture.supplyAsync(request, clients);
  }

  private long agentsOfAccount() {
    return (Long) engine.sql("SELECT count(*) AS n FROM agents WHERE account_id = ?", accountId)
        .get(0).get("n");
  }

  private long voiceAgentsOfAccount() {
    return (Long) engine.sql("SELECT count(*) AS n FROM voice_agents WHERE account_id = ?",
        accountId).get(0).get("n");
  }

  @Test
  void moreConcurrentCreatesThanPoolConnectionsAllCompleteAndTheApiKeepsAnswering()
      throws Exception {
    int creates = 5 * POOL;
    retell.hold();
    List<CompletableFuture<Api.Response>> pending = new ArrayList<>();
    for (int i = 0; i < creates; i++) {
      JsonObject agent = new JsonObject().put("name", "Desk " + i).put("voiceMode", "webhook");
      pending.add(async(() -> engine.api.post("/v1/agents", key, agent)));
    }
    // more creates wait for Retell at once than there are database connections
    poll(() -> retell.waiting() == AT_RETELL);

    Api.Response list = engine.api.get("/v1/agents", key);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().getLong("total")).isEqualTo(1);
    assertThat(engine.api.get("/v1/numbers", key).status()).isEqualTo(200);
    assertThat(engine.api.get("/v1/usage", key).status()).isEqualTo(200);
    assertThat(pending).noneMatch(CompletableFuture::isDone);

    retell.release();
    for (CompletableFuture<Api.Response> create : pending) {
      Api.Response created = create.get(30, TimeUnit.SECONDS);
      assertThat(created.status()).as(created.body()).isEqualTo(200);
    }
    assertThat(agentsOfAccount()).isEqualTo(1 + creates);
    assertThat(voiceAgentsOfAccount()).isEqualTo(1 + creates);
    assertThat(retell.to("/create-agent")).hasSize(creates);
  }

  @Test
  void aCreateIsInvisibleUntilRetellHasItAndAFailureLeavesNoHalfAgent() throws Exception {
    retell.hold();
    CompletableFuture<Api.Response> create = async(() -> engine.api.post("/v1/agents", key,
        new JsonObject().put("name", "Half").put("voiceMode", "hosted")
            .put("systemPrompt", "Be brief.")));
    poll(() -> retell.waiting() == 1); // the LLM is being created
    assertThat(engine.api.get("/v1/agents", key).json().getLong("total")).isEqualTo(1);

    retell.fail("/create-agent", 500);
    retell.release();
    Api.Response failed = create.get(30, TimeUnit.SECONDS);
    assertThat(failed.status()).isEqualTo(502);
    assertThat((String) failed.detail()).contains("could not create the voice agent");
    assertThat(agentsOfAccount()).isEqualTo(1);
    assertThat(voiceAgentsOfAccount()).isEqualTo(1);
    // the LLM made for it is deleted again
    String llm = retell.to("/create-retell-llm").get(0).body().getString("general_prompt");
    assertThat(llm).isEqualTo("Be brief.");
    assertThat(retell.to("/delete-retell-llm/")).hasSize(1);
  }

  @Test
  void twoVoiceChangesOfOneAgentTakeTurns() throws Exception {
    String id = engine.api.post("/v1/agents", key,
        new JsonObject().put("name", "Turns").put("voiceMode", "webhook")).json().getString("id");
    retell.hold();
    CompletableFuture<Api.Response> first = async(() -> engine.api.patch("/v1/agents/" + id, key,
        new JsonObject().put("name", "First")));
    poll(() -> retell.waiting() == 1);
    CompletableFuture<Api.Response> second = async(() -> engine.api.patch("/v1/agents/" + id,
        key, new JsonObject().put("name", "Second")));
    // fields Retell does not hold are not held up
    Api.Response described = engine.api.patch("/v1/agents/" + id, key,
        new JsonObject().put("description", "meanwhile"));
    assertThat(described.status()).isEqualTo(200);
    assertThat(engine.api.get("/v1/agents/" + id, key).json().getString("name"))
        .isEqualTo("Turns");
    // the second change waits for the first instead of reaching Retell beside it
    Thread.sleep(300);
    assertThat(retell.waiting()).isEqualTo(1);
    assertThat(second).isNotDone();

    retell.release();
    assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    JsonObject agent = engine.api.get("/v1/agents/" + id, key).json();
    assertThat(agent.getString("name")).isEqualTo("Second");
    assertThat(agent.getString("description")).isEqualTo("meanwhile");
    // Retell heard the changes in the order they were stored: it ends where our row ends
    assertThat(retell.to("/update-agent/")).extracting(r -> r.body().getString("agent_name"))
        .containsExactly("First", "Second");
  }

  @Test
  void aDeleteWaitsForRetellWithoutHoldingAConnection() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < AT_RETELL; i++) {
      ids.add(engine.api.post("/v1/agents", key, new JsonObject().put("name", "Bye " + i)
          .put("voiceMode", "webhook")).json().getString("id"));
    }
    retell.hold();
    List<CompletableFuture<Api.Response>> deletes = new ArrayList<>();
    for (String id : ids) {
      deletes.add(async(() -> engine.api.delete("/v1/agents/" + id, key)));
    }
    poll(() -> retell.waiting() == ids.size());
    assertThat(engine.api.get("/v1/agents", key).json().getLong("total"))
        .isEqualTo(1L + ids.size());

    retell.release();
    for (CompletableFuture<Api.Response> delete : deletes) {
      assertThat(delete.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
    assertThat(agentsOfAccount()).isEqualTo(1);
  }

  /** Two calls at once for an agent Retell does not know yet provision it once. */
  @Test
  void onDemandProvisioningHappensOnceForConcurrentCalls() throws Exception {
    // as for an agent that existed before Retell was configured
    engine.sql("DELETE FROM voice_agents WHERE agent_id = ?", signupAgent);
    retell.hold();
    JsonObject call = new JsonObject().put("agentId", signupAgent).put("toNumber", "+14155550123");
    CompletableFuture<Api.Response> one = async(() -> engine.api.post("/v1/calls", key, call));
    CompletableFuture<Api.Response> two = async(() -> engine.api.post("/v1/calls", key, call));
    poll(() -> retell.waiting() == 1); // the signup agent's LLM is being created
    retell.release();
    assertThat(one.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(two.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(retell.to("/create-agent")).hasSize(1);
    assertThat(retell.to("/create-retell-llm")).hasSize(1);
    String provisioned = retell.to("/v2/create-phone-call").get(0).body()
        .getString("override_agent_id");
    assertThat(retell.to("/v2/create-phone-call")).hasSize(2)
        .allMatch(r -> provisioned.equals(r.body().getString("override_agent_id")));
  }

  static void poll(BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + 15_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("condition not met in time");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
