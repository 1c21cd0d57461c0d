package dev.agentphone.agents;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentsApiTest {
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
  void createAppliesContractDefaults() {
    String key = server.newKey();
    Api.Response created = api.post("/v1/agents", key, new JsonObject().put("name", "Support"));
    assertThat(created.status()).isEqualTo(200);
    JsonObject agent = created.json();
    assertThat(agent.getString("id")).startsWith("agt_");
    assertThat(agent.getString("name")).isEqualTo("Support");
    assertThat(agent.getString("voiceMode")).isEqualTo("webhook");
    assertThat(agent.getString("modelTier")).isEqualTo("balanced");
    assertThat(agent.getString("sttMode")).isEqualTo("fast");
    assertThat(agent.getString("voice")).isEqualTo("11labs-Adrian");
    assertThat(agent.containsKey("description")).isTrue();
    assertThat(agent.getValue("description")).isNull();
    assertThat(agent.getJsonArray("numbers")).isEmpty();
    assertThat(agent.getString("createdAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*");
  }

  @Test
  void createKeepsEveryField() {
    String key = server.newKey();
    JsonObject body = new JsonObject()
        .put("name", "Sales").put("description", "Outbound sales")
        .put("voiceMode", "hosted").put("modelTier", "max")
        .put("systemPrompt", "Sell things").put("beginMessage", "Hi!")
        .put("voice", "11labs-Myra").put("transferNumber", "+14155550100")
        .put("voicemailMessage", "Call me back").put("sttMode", "accurate");
    JsonObject agent = api.post("/v1/agents", key, body).json();
    for (String field : new String[] {"name", "description", "voiceMode", "modelTier",
        "systemPrompt", "beginMessage", "voice", "transferNumber", "voicemailMessage",
        "sttMode"}) {
      assertThat(agent.getString(field)).as(field).isEqualTo(body.getString(field));
    }
    assertThat(api.get("/v1/agents/" + agent.getString("id"), key).json()).isEqualTo(agent);
  }

  @Test
  void getShowsTheAgentsNumbers() {
    JsonObject account = server.signUp("numbers-" + System.nanoTime() + "@example.com");
    JsonObject agent = api.get("/v1/agents/" + account.getString("agent_id"),
        account.getString("api_key")).json();
    JsonArray numbers = agent.getJsonArray("numbers");
    assertThat(numbers).hasSize(1);
    assertThat(numbers.getJsonObject(0).getString("id")).isEqualTo(account.getString("number_id"));
    assertThat(numbers.getJsonObject(0).getString("phoneNumber"))
        .isEqualTo(account.getString("phone_number"));
    assertThat(numbers.getJsonObject(0).getString("status")).isEqualTo("active");
    assertThat(numbers.getJsonObject(0).getString("type")).isEqualTo("sms");
  }

  @Test
  void listPagesNewestFirstWithTotal() {
    String key = server.newKey();
    for (int i = 0; i < 5; i++) {
      api.post("/v1/agents", key, new JsonObject().put("name", "a" + i));
    }
    // the signup's starter agent is the sixth
    JsonObject all = api.get("/v1/agents", key).json();
    assertThat(all.getInteger("total")).isEqualTo(6);
    assertThat(all.getJsonArray("data")).hasSize(6);
    assertThat(all.getJsonArray("data").getJsonObject(0).getString("name")).isEqualTo("a4");

    JsonObject page = api.get("/v1/agents?limit=2&offset=1", key).json();
    assertThat(page.getInteger("total")).isEqualTo(6);
    assertThat(page.getJsonArray("data")).extracting(o -> ((JsonObject) o).getString("name"))
        .containsExactly("a3", "a2");

    JsonObject offsetOnly = api.get("/v1/agents?offset=5", key).json();
    assertThat(offsetOnly.getJsonArray("data")).hasSize(1);
    assertThat(api.get("/v1/agents?limit=100", key).status()).isEqualTo(200);
  }

  @Test
  void listBoundsAreEnforced() {
    String key = server.newKey();
    Api.Response tooMany = api.get("/v1/agents?limit=101", key);
    assertThat(tooMany.status()).isEqualTo(422);
    JsonObject error = tooMany.json().getJsonArray("detail").getJsonObject(0);
    assertThat(error.getJsonArray("loc")).containsExactly("query", "limit");
    assertThat(error.getString("type")).isEqualTo("less_than_equal");

    assertThat(api.get("/v1/agents?limit=0", key).status()).isEqualTo(422);
    Api.Response negative = api.get("/v1/agents?offset=-1", key);
    assertThat(negative.status()).isEqualTo(422);
    assertThat(negative.json().getJsonArray("detail").getJsonObject(0).getString("type"))
        .isEqualTo("greater_than_equal");
    Api.Response words = api.get("/v1/agents?limit=ten", key);
    assertThat(words.status()).isEqualTo(422);
    assertThat(words.json().getJsonArray("detail").getJsonObject(0).getString("type"))
        .isEqualTo("int_parsing");
  }

  @Test
  void patchChangesOnlyWhatIsSent() {
    String key = server.newKey();
    JsonObject agent = api.post("/v1/agents", key, new JsonObject().put("name", "Before")
        .put("description", "desc").put("systemPrompt", "prompt")).json();
    String path = "/v1/agents/" + agent.getString("id");

    JsonObject patched = api.patch(path, key, new JsonObject().put("name", "After")
        .put("voiceMode", "hosted").put("description", null)).json();
    assertThat(patched.getString("name")).isEqualTo("After");
    assertThat(patched.getString("voiceMode")).isEqualTo("hosted");
    assertThat(patched.getValue("description")).isNull();
    assertThat(patched.getString("systemPrompt")).isEqualTo("prompt");
    assertThat(patched.getString("createdAt")).isEqualTo(agent.getString("createdAt"));

    // null on a required field leaves it unchanged rather than breaking the agent
    JsonObject unchanged = api.patch(path, key, new JsonObject().put("name", null)).json();
    assertThat(unchanged.getString("name")).isEqualTo("After");

    Api.Response badEnum = api.patch(path, key, new JsonObject().put("modelTier", "huge"));
    assertThat(badEnum.status()).isEqualTo(422);
    assertThat(badEnum.json().getJsonArray("detail").getJsonObject(0).getString("msg"))
        .isEqualTo("Input should be 'turbo', 'balanced' or 'max'");
  }

  @Test
  void deleteAnswersAndDetachesNumbers() {
    JsonObject account = server.signUp("delete-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String agentId = account.getString("agent_id");
    Api.Response deleted = api.delete("/v1/agents/" + agentId, key);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json()).isEqualTo(new JsonObject().put("success", true)
        .put("id", agentId).put("name", "My Agent"));
    assertThat(api.get("/v1/agents/" + agentId, key).status()).isEqualTo(404);
    assertThat(api.delete("/v1/agents/" + agentId, key).status()).isEqualTo(404);
    // the number is kept, without its agent
    assertThat(server.sql("SELECT agent_id, status FROM phone_numbers WHERE id = ?",
        account.getString("number_id")))
        .singleElement().satisfies(row -> {
          assertThat(row.get("agent_id")).isNull();
          assertThat(row.get("status")).isEqualTo("active");
        });
  }

  @Test
  void anotherAccountsAgentIsNotFound() {
    String alice = server.newKey();
    String bob = server.newKey();
    String agentId = api.post("/v1/agents", alice, new JsonObject().put("name", "Private"))
        .json().getString("id");
    String path = "/v1/agents/" + agentId;

    for (Api.Response response : new Api.Response[] {
        api.get(path, bob),
        api.patch(path, bob, new JsonObject().put("name", "stolen")),
        api.delete(path, bob)}) {
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.json()).isEqualTo(new JsonObject().put("detail", "Agent not found"));
    }
    assertThat(api.get("/v1/agents", bob).json().getJsonArray("data"))
        .noneMatch(a -> ((JsonObject) a).getString("id").equals(agentId));
    assertThat(api.get(path, alice).json().getString("name")).isEqualTo("Private");
  }

  @Test
  void voicesAreListed() {
    String key = server.newKey();
    JsonArray voices = api.get("/v1/agents/voices", key).json().getJsonArray("data");
    assertThat(voices).isNotEmpty();
    assertThat(voices.getJsonObject(0).getString("voice_id")).isNotBlank();
  }
}
