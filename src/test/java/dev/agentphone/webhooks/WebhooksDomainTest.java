package dev.agentphone.webhooks;

import dev.agentphone.agents.AgentWrites;
import dev.agentphone.agents.AgentsApi;
import dev.agentphone.agents.AgentsFeature;
import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.egress.HostLookup;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersFeature;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.Outbox;
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

import java.util.Map;

import static dev.agentphone.support.DomainHarness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The webhooks domain on its own (configuration and dispatch, with the agents domain it checks
 * agents with), through its published API and the outbox: an event recorded in a transaction
 * reaches the customer's endpoint signed, and the delivery log says so.
 */
@ExtendWith(VertxExtension.class)
class WebhooksDomainTest {
  static DomainHarness domains;
  static WebhooksApi webhooks;
  static Receiver receiver;

  @BeforeAll
  static void start(Vertx vertx) {
    receiver = new Receiver();
    domains = DomainHarness.start(vertx, Map.of("webhooks.pollIntervalMs", 100));
    webhooks = new WebhooksApi(vertx);
    AgentsApi agents = new AgentsApi(vertx);
    NumbersApi numbers = new NumbersApi(vertx);
    RetellClient retell = new RetellClient(vertx, "http://127.0.0.1:9", "unused", 1_000);
    LlmSocketUrls sockets = await(LlmSocketUrls.load(domains.config, domains.pool));
    SandboxCarrier carrier = new SandboxCarrier(domains.pool, numbers::activeAmong);
    // the receiver listens on loopback, a private address the sandbox allows
    SsrfGuard guard = new SsrfGuard(HostLookup.from(vertx, domains.config), true);
    domains.deploy(
        new NumbersFeature(domains.pool, new Plans(domains.config), 300,
            new SandboxTelephony(carrier), null, agents, numbers),
        new AgentsFeature(vertx, domains.pool, retell,
            new RetellAgents(retell, "http://localhost", sockets), "11labs-Adrian", 1_000, guard,
            agents),
        new WebhooksFeature(domains.pool, domains.databaseUrl,
            WebhookSettings.from(domains.config), EventStream.from(domains.config), guard,
            agents, new ConversationsApi(vertx), WebhooksDomainTest::parentOf, webhooks));
  }

  /**
   * The accounts domain's answer, read from the same database: it is not deployed here (it
   * needs most of the engine).
   */
  private static io.vertx.core.Future<String> parentOf(String accountId) {
    return domains.pool.preparedQuery("SELECT parent_account_id FROM accounts WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(accountId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  private static String subAccountOf(String parent) {
    String id = dev.agentphone.platform.Ids.next("sub");
    domains.sql("INSERT INTO accounts (id, name, plan, parent_account_id) "
        + "VALUES (?, 'Child', 'starter', ?)", id, parent);
    return id;
  }

  @AfterAll
  static void stop() {
    domains.close();
    receiver.close();
  }

  private static String agentOf(String accountId) {
    return await(domains.pool.withTransaction(tx -> new AgentWrites("11labs-Adrian")
        .insert(tx, accountId, new JsonObject().put("name", "Desk")))).getString("id");
  }

  @Test
  void anAgentsOwnWebhookTakesItsEventsAndTheAccountsTakesTheRest() {
    String account = domains.newAccount();
    String agent = agentOf(account);
    JsonObject own = await(webhooks.put(account, null, receiver.url("/account"), 10, 30));
    assertThat(own.getString("secret")).startsWith("whsec_");
    assertThat(await(webhooks.target(account, agent)).url()).isEqualTo(receiver.url("/account"));

    await(webhooks.put(account, agent, receiver.url("/agent"), 5, 10));
    WebhooksApi.Target target = await(webhooks.target(account, agent));
    assertThat(target.url()).isEqualTo(receiver.url("/agent"));
    assertThat(target.contextLimit()).isEqualTo(5);
    assertThat(target.timeout()).isEqualTo(10);

    await(webhooks.delete(account, agent));
    assertThat(await(webhooks.target(account, agent)).url()).isEqualTo(receiver.url("/account"));
    await(webhooks.delete(account, null));
    assertThat(await(webhooks.target(account, agent))).isNull();
    assertThat(await(webhooks.get(account, null))).isNull();
    assertThatThrownBy(() -> await(webhooks.delete(account, null)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void anEventRecordedInATransactionIsDeliveredSignedAndLogged() {
    String account = domains.newAccount();
    String path = "/events-" + System.nanoTime();
    String secret = await(webhooks.put(account, null, receiver.url(path), 0, 30))
        .getString("secret");
    JsonObject data = Fixtures.smsData("hello from the outbox");
    await(domains.pool.withTransaction(tx -> Outbox.record(tx, new Outbox.Event(account, null,
        "agent.message", "sms", null, data, null))));

    Receiver.Hit hit = receiver.awaitPath(1, path).get(0);
    Fixtures.assertSigned(hit, secret);
    assertThat(hit.json().getString("event")).isEqualTo("agent.message");
    assertThat(hit.json().getJsonObject("data").getString("message"))
        .isEqualTo("hello from the outbox");

    JsonObject logged = awaitDelivered(account);
    assertThat(logged.getString("eventType")).isEqualTo("agent.message");
    assertThat(logged.getInteger("httpStatus")).isEqualTo(200);
    assertThat(await(webhooks.allTime(account)).getLong("success")).isEqualTo(1);
  }

  @Test
  void aTestSendReportsWhatTheEndpointAnswered() {
    String account = domains.newAccount();
    String path = "/test-" + System.nanoTime();
    await(webhooks.put(account, null, receiver.url(path), 10, 30));
    JsonObject sent = await(webhooks.test(account, null, false));
    assertThat(sent.getBoolean("success")).isTrue();
    assertThat(sent.getInteger("statusCode")).isEqualTo(200);
    assertThat(receiver.awaitPath(1, path).get(0).json().getString("event"))
        .isEqualTo("agent.message");
    String agent = agentOf(account);
    assertThatThrownBy(() -> await(webhooks.test(account, agent, true)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void aSubAccountsEventsGoToItsOwnWebhookElseItsParentsAccountWebhookNamingIt() {
    String parent = domains.newAccount();
    String parentsAgent = agentOf(parent);
    String child = subAccountOf(parent);
    String childsAgent = agentOf(child);
    String shared = "/shared-" + System.nanoTime();
    await(webhooks.put(parent, null, receiver.url(shared), 10, 30));
    await(webhooks.put(parent, parentsAgent, receiver.url("/parents-agent"), 10, 30));
    assertThat(await(webhooks.target(child, childsAgent)).url()).isEqualTo(receiver.url(shared));
    assertThat(await(webhooks.target(child, null)).url()).isEqualTo(receiver.url(shared));

    await(domains.pool.withTransaction(tx -> Outbox.record(tx, new Outbox.Event(child,
        childsAgent, "agent.message", "sms", null, Fixtures.smsData("to the parent"), null))));
    JsonObject delivered = receiver.awaitPath(1, shared).get(0).json();
    assertThat(delivered.getString("accountId")).isEqualTo(child);
    assertThat(delivered.getString("agentId")).isEqualTo(childsAgent);
    // in the log of the webhook's owner, not the sub-account's
    assertThat(awaitDelivered(parent).getString("eventType")).isEqualTo("agent.message");
    assertThat(await(webhooks.deliveries(child, null, 10, 0, null, null)).getJsonArray("items"))
        .isEmpty();

    String own = "/own-" + System.nanoTime();
    await(webhooks.put(child, null, receiver.url(own), 10, 30));
    assertThat(await(webhooks.target(child, childsAgent)).url()).isEqualTo(receiver.url(own));
    await(domains.pool.withTransaction(tx -> Outbox.record(tx, new Outbox.Event(child,
        childsAgent, "agent.message", "sms", null, Fixtures.smsData("to the child"), null))));
    assertThat(receiver.awaitPath(1, own).get(0).json().getString("accountId")).isEqualTo(child);
    assertThat(awaitDelivered(child).getString("eventType")).isEqualTo("agent.message");

    // a parent's events never go to a sub-account's webhook
    assertThat(await(webhooks.target(parent, null)).url()).isEqualTo(receiver.url(shared));
    assertThat(await(webhooks.target(parent, parentsAgent)).url())
        .isEqualTo(receiver.url("/parents-agent"));
  }

  @Test
  void anotherAccountsAgentHasNoWebhookHere() {
    String account = domains.newAccount();
    String theirs = agentOf(domains.newAccount());
    assertThatThrownBy(() -> await(webhooks.put(account, theirs, receiver.url("/x"), 10, 30)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> await(webhooks.get(account, theirs)))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  private static JsonObject awaitDelivered(String account) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < deadline) {
      JsonArray items = await(webhooks.deliveries(account, null, 10, 0, null, null))
          .getJsonArray("items");
      if (!items.isEmpty() && "success".equals(items.getJsonObject(0).getString("status"))) {
        return items.getJsonObject(0);
      }
      Receiver.sleep(20);
    }
    throw new AssertionError("the delivery was not logged as a success");
  }
}
