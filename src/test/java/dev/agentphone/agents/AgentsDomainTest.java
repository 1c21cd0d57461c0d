package dev.agentphone.agents;

import dev.agentphone.egress.HostLookup;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersFeature;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.imessage.SandboxIMessage;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.providers.sandbox.SandboxCarrier;
import dev.agentphone.providers.sandbox.SandboxTelephony;
import dev.agentphone.support.DomainHarness;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.usage.Plans;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static dev.agentphone.support.DomainHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agents domain on its own (with the numbers domain that lists an agent's numbers), against a
 * fake of Retell's REST API, through its published API.
 */
@ExtendWith(VertxExtension.class)
class AgentsDomainTest {
  static FakeRetellApi fake;
  static DomainHarness domains;
  static AgentsApi agents;
  static NumbersApi numbers;

  @BeforeAll
  static void start(Vertx vertx) {
    fake = new FakeRetellApi();
    domains = DomainHarness.start(vertx, Map.of());
    agents = new AgentsApi(vertx);
    numbers = new NumbersApi(vertx);
    RetellClient retell = new RetellClient(vertx, fake.baseUrl(), "key_test", 5_000);
    LlmSocketUrls sockets = await(LlmSocketUrls.load(domains.config, domains.pool));
    SandboxCarrier carrier = new SandboxCarrier(domains.pool, numbers::activeAmong);
    domains.deploy(
        new AgentsFeature(vertx, domains.pool, retell,
            new RetellAgents(retell, "http://localhost:8080", sockets), "11labs-Adrian", 5_000,
            new SsrfGuard(HostLookup.from(vertx, domains.config), true), agents),
        new NumbersFeature(domains.pool, new Plans(domains.config), 300,
            new SandboxTelephony(carrier), new SandboxIMessage(carrier), agents, numbers));
  }

  @AfterAll
  static void stop() {
    domains.close();
    fake.close();
  }

  private static JsonObject create(String accountId, String name, String mode) {
    return await(agents.create(accountId, new JsonObject().put("name", name)
        .put("voiceMode", mode).put("systemPrompt", "Be brief.")));
  }

  @Test
  void anAgentIsProvisionedAtRetellBeforeItIsStoredAndSocketsKnowWhoseItIs() {
    String account = domains.newAccount();
    JsonObject agent = create(account, "Reception", "webhook");
    String id = agent.getString("id");
    assertThat(agent.getString("voice")).isEqualTo("11labs-Adrian");
    assertThat(agent.getJsonArray("numbers")).isEmpty();

    AgentsApi.VoiceAgent voice = await(agents.voiceAgent(account, id));
    JsonObject atRetell = fake.agents.get(voice.retellAgentId());
    assertThat(atRetell.getString("agent_name")).isEqualTo("Reception");
    assertThat(atRetell.getJsonObject("response_engine").getString("llm_websocket_url"))
        .startsWith("ws://localhost:8080/webhooks/retell/llm/" + id + "/");
    assertThat(await(agents.socketAgent(id)))
        .isEqualTo(new AgentsApi.SocketAgent(account, voice.retellAgentId()));
  }

  @Test
  void onlyChangesRetellHoldsACopyOfGoToRetell() {
    String account = domains.newAccount();
    String id = create(account, "Sales", "webhook").getString("id");
    int before = fake.to("/update-agent/").size();
    JsonObject described = await(agents.update(account, id,
        new JsonObject().put("description", "Answers sales calls")));
    assertThat(described.getString("description")).isEqualTo("Answers sales calls");
    assertThat(fake.to("/update-agent/")).hasSize(before);

    await(agents.update(account, id, new JsonObject().put("name", "Sales team")));
    String retellId = await(agents.voiceAgent(account, id)).retellAgentId();
    assertThat(fake.to("/update-agent/")).hasSizeGreaterThan(before);
    assertThat(fake.agents.get(retellId).getString("agent_name")).isEqualTo("Sales team");
  }

  @Test
  void anAgentListsTheNumbersTheNumbersDomainGaveIt() {
    String account = domains.newAccount();
    String id = create(account, "Support", "hosted").getString("id");
    JsonObject number = await(numbers.buy(account, "US", null, id, "sms"));
    assertThat(await(agents.get(account, id)).getJsonArray("numbers").getJsonObject(0)
        .getString("id")).isEqualTo(number.getString("id"));
    JsonObject page = await(agents.list(account, 20, 0));
    assertThat(page.getLong("total")).isEqualTo(1);
    assertThat(page.getJsonArray("data").getJsonObject(0).getJsonArray("numbers")).hasSize(1);
  }

  @Test
  void aDeletedAgentIsGoneHereAndAtRetell() {
    String account = domains.newAccount();
    String id = create(account, "Temp", "webhook").getString("id");
    String retellId = await(agents.voiceAgent(account, id)).retellAgentId();
    assertThat(await(agents.delete(account, id)).getBoolean("success")).isTrue();
    assertThat(fake.to("/delete-agent/" + retellId)).hasSize(1);
    assertThatThrownBy(() -> await(agents.requireAgent(account, id)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void anotherAccountsAgentIsNotFound() {
    String owner = domains.newAccount();
    String stranger = domains.newAccount();
    String id = create(owner, "Private", "webhook").getString("id");
    for (Runnable call : new Runnable[] {() -> await(agents.get(stranger, id)),
        () -> await(agents.update(stranger, id, new JsonObject().put("name", "x"))),
        () -> await(agents.delete(stranger, id)),
        () -> await(agents.voiceAgent(stranger, id))}) {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiError.class,
          e -> assertThat(e.status()).isEqualTo(404));
    }
    assertThat(await(agents.get(owner, id)).getString("name")).isEqualTo("Private");
  }
}
