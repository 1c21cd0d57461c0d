package dev.agentphone.numbers;

import dev.agentphone.agents.AgentWrites;
import dev.agentphone.agents.AgentsApi;
import dev.agentphone.agents.AgentsFeature;
import dev.agentphone.egress.HostLookup;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.platform.ApiError;
import dev.agentphone.providers.imessage.SandboxIMessage;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.providers.sandbox.SandboxCarrier;
import dev.agentphone.providers.sandbox.SandboxTelephony;
import dev.agentphone.support.DomainHarness;
import dev.agentphone.usage.Plans;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.agentphone.support.DomainHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The numbers domain on its own (with the agents domain it asks whether an agent exists), on the
 * sandbox carrier, through its published API and its in-process reads: what other domains and
 * the routes rely on.
 */
@ExtendWith(VertxExtension.class)
class NumbersDomainTest {
  static DomainHarness domains;
  static NumbersApi numbers;
  static final List<NumbersApi.Change> changes = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start(Vertx vertx) {
    domains = DomainHarness.start(vertx, Map.of("plans.catalog.starter.limits.numbers", 2));
    numbers = new NumbersApi(vertx);
    AgentsApi agents = new AgentsApi(vertx);
    SandboxCarrier carrier = new SandboxCarrier(domains.pool, numbers::activeAmong);
    // Retell is never asked here: no agent is created through the agents domain's API
    RetellClient retell = new RetellClient(vertx, "http://127.0.0.1:9", "unused", 1_000);
    LlmSocketUrls sockets = await(LlmSocketUrls.load(domains.config, domains.pool));
    domains.deploy(
        new NumbersFeature(domains.pool, new Plans(domains.config), 300,
            new SandboxTelephony(carrier), new SandboxIMessage(carrier), agents, numbers),
        new AgentsFeature(vertx, domains.pool, retell,
            new RetellAgents(retell, "http://localhost", sockets), "11labs-Adrian", 1_000,
            new SsrfGuard(HostLookup.from(vertx, domains.config), true), agents));
    numbers.onChange(changes::add);
  }

  @AfterAll
  static void stop() {
    domains.close();
  }

  private static String agentOf(String accountId) {
    return await(domains.pool.withTransaction(tx -> new AgentWrites("11labs-Adrian")
        .insert(tx, accountId, new JsonObject().put("name", "Front desk")))).getString("id");
  }

  private static JsonObject buy(String accountId, String agentId) {
    return await(numbers.buy(accountId, "US", null, agentId, "sms"));
  }

  private static int status(Runnable call) {
    try {
      call.run();
      return 200;
    } catch (ApiError e) {
      return e.status();
    }
  }

  @Test
  void aBoughtNumberIsListedFoundAndAfterItsReleaseOnlyRead() {
    String account = domains.newAccount();
    JsonObject number = buy(account, null);
    String id = number.getString("id");
    String phone = number.getString("phoneNumber");
    assertThat(phone).matches("\\+1\\d{3}55501\\d{2}");
    assertThat(number.getString("status")).isEqualTo("active");
    assertThat(await(numbers.list(account, 20, 0)).getLong("total")).isEqualTo(1);
    NumbersApi.ActiveNumber active = await(numbers.findActive(account, id));
    assertThat(active.accountId()).isEqualTo(account);
    assertThat(active.phoneNumber()).isEqualTo(phone);
    assertThat(await(numbers.routeInbound(phone)).id()).isEqualTo(id);
    assertThat(await(numbers.activeAmong(List.of(phone, "+12025550000")))).containsExactly(phone);

    assertThat(await(numbers.release(account, id)).getString("status")).isEqualTo("released");
    assertThat(await(numbers.get(account, id)).getString("status")).isEqualTo("released");
    assertThat(await(numbers.list(account, 20, 0)).getLong("total")).isZero();
    assertThat(status(() -> await(numbers.findActive(account, id)))).isEqualTo(404);
    assertThat(await(numbers.routeInbound(phone))).isNull();
    assertThat(changes).extracting(NumbersApi.Change::action, NumbersApi.Change::numberId)
        .contains(org.assertj.core.groups.Tuple.tuple("purchased", id),
            org.assertj.core.groups.Tuple.tuple("released", id));
  }

  @Test
  void anotherAccountsNumberIsNotFound() {
    String owner = domains.newAccount();
    String stranger = domains.newAccount();
    JsonObject number = buy(owner, null);
    String id = number.getString("id");
    assertThat(status(() -> await(numbers.get(stranger, id)))).isEqualTo(404);
    assertThat(status(() -> await(numbers.findActive(stranger, id)))).isEqualTo(404);
    assertThat(status(() -> await(numbers.activeByPhone(stranger,
        number.getString("phoneNumber"))))).isEqualTo(404);
    assertThat(status(() -> await(numbers.release(stranger, id)))).isEqualTo(404);
    assertThat(await(NumberReads.summaries(domains.pool, stranger, Set.of(id)))).isEmpty();
    assertThat(await(numbers.get(owner, id)).getString("status")).isEqualTo("active");
  }

  @Test
  void thePlansNumberLimitRefusesAPurchaseUntilANumberIsReleased() {
    String account = domains.newAccount();
    String first = buy(account, null).getString("id");
    buy(account, null);
    assertThatThrownBy(() -> buy(account, null))
        .isInstanceOfSatisfying(ApiError.class, e -> {
          assertThat(e.status()).isEqualTo(403);
          assertThat(e.getMessage()).contains("allows 2 active phone numbers");
        });
    await(numbers.release(account, first));
    assertThat(buy(account, null).getString("status")).isEqualTo("active");
  }

  @Test
  void attachingAndDetachingMovesANumberBetweenAnAgentAndNoneAndIsAnnounced() {
    String account = domains.newAccount();
    String agent = agentOf(account);
    String id = buy(account, null).getString("id");

    JsonObject attached = await(numbers.attach(account, agent, id));
    assertThat(attached.getJsonObject("number").getString("id")).isEqualTo(id);
    Map<String, JsonArray> byAgent =
        await(NumberReads.forAgents(domains.pool, account, List.of(agent)));
    assertThat(byAgent.get(agent).getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(await(NumberReads.ofAgent(domains.pool, account, agent))).containsExactly(id);
    assertThat(await(NumberReads.summaries(domains.pool, account, Set.of(id))).get(id)
        .getString("agentId")).isEqualTo(agent);

    await(numbers.detach(account, agent, id));
    assertThat(await(NumberReads.forAgents(domains.pool, account, List.of(agent))))
        .doesNotContainKey(agent);
    assertThat(changes).filteredOn(c -> id.equals(c.numberId()))
        .extracting(NumbersApi.Change::action, NumbersApi.Change::agentId)
        .contains(org.assertj.core.groups.Tuple.tuple("attached", agent),
            org.assertj.core.groups.Tuple.tuple("detached", agent));
  }

  @Test
  void anAgentOfAnotherAccountCannotTakeANumber() {
    String account = domains.newAccount();
    String theirAgent = agentOf(domains.newAccount());
    String id = buy(account, null).getString("id");
    assertThatThrownBy(() -> await(numbers.attach(account, theirAgent, id)))
        .isInstanceOfSatisfying(ApiError.class, e -> {
          assertThat(e.status()).isEqualTo(404);
          assertThat(e.getMessage()).isEqualTo("Agent not found");
        });
    assertThat(status(() -> buy(account, theirAgent))).isEqualTo(404);
    assertThat(await(numbers.get(account, id)).getString("agentId")).isNull();
  }
}
