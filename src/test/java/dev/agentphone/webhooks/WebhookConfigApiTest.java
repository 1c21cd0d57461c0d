package dev.agentphone.webhooks;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookConfigApiTest {
  static TestEngine server;
  static Api api;

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void accountWebhookIsCreatedReadReplacedWithANewSecretAndDeleted() {
    String key = server.newKey();
    assertThat(api.get("/v1/webhooks", key).body()).isEqualTo("null");

    Api.Response created = api.post("/v1/webhooks", key,
        new JsonObject().put("url", "https://hooks.example.com/agentphone"));
    assertThat(created.status()).isEqualTo(200);
    JsonObject webhook = created.json();
    assertThat(webhook.getString("id")).startsWith("wh_");
    assertThat(webhook.getString("url")).isEqualTo("https://hooks.example.com/agentphone");
    assertThat(webhook.getString("secret")).startsWith("whsec_");
    assertThat(webhook.getString("status")).isEqualTo("active");
    assertThat(webhook.getInteger("contextLimit")).isEqualTo(10);
    assertThat(webhook.getInteger("timeout")).isEqualTo(30);
    assertThat(webhook.getString("createdAt")).isNotBlank();
    assertThat(api.get("/v1/webhooks", key).json()).isEqualTo(webhook);

    JsonObject replaced = api.post("/v1/webhooks", key, new JsonObject()
        .put("url", "http://other.example.com/h").put("contextLimit", 0).put("timeout", 120))
        .json();
    assertThat(replaced.getString("id")).isEqualTo(webhook.getString("id"));
    assertThat(replaced.getString("secret")).startsWith("whsec_")
        .isNotEqualTo(webhook.getString("secret"));
    assertThat(replaced.getInteger("contextLimit")).isZero();
    assertThat(replaced.getInteger("timeout")).isEqualTo(120);
    assertThat(api.get("/v1/webhooks", key).json().getString("url"))
        .isEqualTo("http://other.example.com/h");

    assertThat(api.delete("/v1/webhooks", key).status()).isEqualTo(200);
    assertThat(api.get("/v1/webhooks", key).body()).isEqualTo("null");
    assertThat(api.delete("/v1/webhooks", key).status()).isEqualTo(404);
  }

  @Test
  void invalidConfigurationsAreRefusedWithEveryProblemListed() {
    String key = server.newKey();
    Api.Response bounds = api.post("/v1/webhooks", key, new JsonObject()
        .put("url", "ftp://example.com/x").put("contextLimit", 51).put("timeout", 4));
    assertThat(bounds.status()).isEqualTo(422);
    JsonArray detail = (JsonArray) bounds.detail();
    assertThat(detail).hasSize(3);
    assertThat(detail.getJsonObject(0).getJsonArray("loc")).containsExactly("body", "url");
    assertThat(detail.getJsonObject(0).getString("type")).isEqualTo("url_scheme");
    assertThat(detail.getJsonObject(1).getJsonArray("loc")).containsExactly("body", "contextLimit");
    assertThat(detail.getJsonObject(2).getJsonArray("loc")).containsExactly("body", "timeout");

    assertThat(api.post("/v1/webhooks", key, new JsonObject().put("timeout", 121)
        .put("url", "https://example.com")).status()).isEqualTo(422);
    assertThat(api.post("/v1/webhooks", key, new JsonObject().put("contextLimit", -1)
        .put("url", "https://example.com")).status()).isEqualTo(422);
    assertThat(api.post("/v1/webhooks", key, new JsonObject()).status()).isEqualTo(422);
    assertThat(api.post("/v1/webhooks", key, new JsonObject().put("url", "javascript:alert(1)"))
        .status()).isEqualTo(422);
    assertThat(api.post("/v1/webhooks", key, new JsonObject().put("url", "https://")).status())
        .isEqualTo(422);
    assertThat(api.get("/v1/webhooks", key).body()).isEqualTo("null");

    JsonObject edges = api.post("/v1/webhooks", key, new JsonObject()
        .put("url", "https://example.com").put("contextLimit", 50).put("timeout", 5)).json();
    assertThat(edges.getInteger("contextLimit")).isEqualTo(50);
    assertThat(edges.getInteger("timeout")).isEqualTo(5);
  }

  @Test
  void agentWebhookHasItsOwnLifecycleAndIsScopedToTheAccount() {
    JsonObject owner = server.signUp("agent-hook-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String agentId = owner.getString("agent_id");
    String path = "/v1/agents/" + agentId + "/webhook";

    assertThat(api.get(path, key).body()).isEqualTo("null");
    JsonObject created = api.post(path, key, new JsonObject()
        .put("url", "https://agent.example.com/hook").put("contextLimit", 3)).json();
    assertThat(created.getString("secret")).startsWith("whsec_");
    assertThat(created.getInteger("contextLimit")).isEqualTo(3);
    assertThat(api.get(path, key).json()).isEqualTo(created);
    // the agent's webhook is not the account's
    assertThat(api.get("/v1/webhooks", key).body()).isEqualTo("null");

    String stranger = server.newKey();
    assertThat(api.get(path, stranger).status()).isEqualTo(404);
    assertThat(api.post(path, stranger, new JsonObject().put("url", "https://evil.example.com"))
        .status()).isEqualTo(404);
    assertThat(api.delete(path, stranger).status()).isEqualTo(404);
    assertThat(api.get(path, key).json().getString("url")).isEqualTo("https://agent.example.com/hook");
    assertThat(api.get("/v1/agents/agt_missing/webhook", key).status()).isEqualTo(404);

    assertThat(api.delete(path, key).status()).isEqualTo(200);
    assertThat(api.get(path, key).body()).isEqualTo("null");
  }

  @Test
  void targetIsTheAgentsOwnWebhookElseTheAccountsElseNull() throws Exception {
    JsonObject owner = server.signUp("target-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String accountId = owner.getString("account_id");
    String agentId = owner.getString("agent_id");
    String otherAgent = api.post("/v1/agents", key, new JsonObject().put("name", "Other"))
        .json().getString("id");

    assertThat(target(accountId, agentId)).isNull();
    JsonObject account = api.post("/v1/webhooks", key, new JsonObject()
        .put("url", "https://account.example.com/h").put("timeout", 7)).json();
    JsonObject agent = api.post("/v1/agents/" + agentId + "/webhook", key, new JsonObject()
        .put("url", "https://agent.example.com/h").put("contextLimit", 2)).json();

    assertThat(target(accountId, agentId)).isEqualTo(new JsonObject()
        .put("id", agent.getString("id")).put("url", "https://agent.example.com/h")
        .put("secret", agent.getString("secret")).put("contextLimit", 2).put("timeout", 30));
    assertThat(target(accountId, otherAgent).getString("id")).isEqualTo(account.getString("id"));
    assertThat(target(accountId, otherAgent).getInteger("timeout")).isEqualTo(7);
    assertThat(target(accountId, null).getString("id")).isEqualTo(account.getString("id"));
    // another account never gets this account's webhook for this agent
    String strangerAccount = server.signUp("stranger-" + System.nanoTime() + "@example.com")
        .getString("account_id");
    assertThat(target(strangerAccount, agentId)).isNull();
  }

  private static JsonObject target(String accountId, String agentId) throws Exception {
    WebhooksApi.Target target = new WebhooksApi(server.vertx).target(accountId, agentId)
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return target == null ? null : new JsonObject().put("id", target.id())
        .put("url", target.url()).put("secret", target.secret())
        .put("contextLimit", target.contextLimit()).put("timeout", target.timeout());
  }
}
