package dev.agentphone.agents;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The voice settings of the official client on {@code /v1/agents}: defaults, round trips, PATCH
 * semantics and the bounds, each refused with a 422 naming the field.
 */
class AgentVoiceSettingsTest {
  static TestEngine sandbox;
  static String key;

  @BeforeAll
  static void start() {
    sandbox = TestEngine.start();
    key = sandbox.newKey();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  static JsonObject tool(String name) {
    return new JsonObject().put("name", name).put("description", "Looks up an order")
        .put("url", "https://tools.example.com/" + name);
  }

  private static Api.Response create(JsonObject extra) {
    return sandbox.api.post("/v1/agents", key, new JsonObject().put("name", "Voice")
        .mergeIn(extra));
  }

  /** The single validation error of a 422 answer. */
  private static JsonObject onlyError(Api.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(422);
    JsonArray detail = response.json().getJsonArray("detail");
    assertThat(detail).as(response.body()).hasSize(1);
    return detail.getJsonObject(0);
  }

  @Test
  void anAgentThatNeverSetThemReadsTheDocumentedDefaults() {
    JsonObject agent = create(new JsonObject()).json();
    JsonObject expected = new JsonObject().put("enableMessaging", true).putNull("customTools")
        .putNull("callScreeningIdentity").putNull("callScreeningPurpose")
        .put("ambientSound", "none").put("denoisingMode", "noise-cancellation")
        .put("maxSilenceMs", 600000).put("voiceSpeed", 1.0).put("interruptionSensitivity", 0.8)
        .put("enableBackchannel", true).put("language", "en-US").put("sttMode", "fast")
        .putNull("voicemailMessage");
    expected.forEach(e -> assertThat(agent.containsKey(e.getKey())).as(e.getKey()).isTrue());
    expected.forEach(e -> assertThat(agent.getValue(e.getKey())).as(e.getKey())
        .isEqualTo(e.getValue()));
    // the starter agent of the sign-up, and every item of the list, show them too
    JsonObject listed = sandbox.api.get("/v1/agents", key).json().getJsonArray("data")
        .stream().map(JsonObject.class::cast).filter(a -> a.getString("name").equals("My Agent"))
        .findFirst().orElseThrow();
    expected.forEach(e -> assertThat(listed.getValue(e.getKey())).as(e.getKey())
        .isEqualTo(e.getValue()));
  }

  @Test
  void everySettingRoundTripsAsSent() {
    JsonObject tool = tool("order_status").put("method", "GET")
        .put("headers", new JsonObject().put("Authorization", "Bearer t"))
        .put("parameters", new JsonObject().put("type", "object").put("properties",
            new JsonObject().put("order", new JsonObject().put("type", "string"))))
        .put("timeoutMs", 5000).put("speakDuringExecution", true)
        .put("executionMessage", "One moment");
    JsonObject settings = new JsonObject().put("enableMessaging", false)
        .put("customTools", new JsonArray().add(tool).add(tool("notes")))
        .put("callScreeningIdentity", "Acme Support").put("callScreeningPurpose", "your order")
        .put("ambientSound", "coffee-shop")
        .put("denoisingMode", "noise-and-background-speech-cancellation")
        .put("maxSilenceMs", 20000).put("voiceSpeed", 1.25).put("interruptionSensitivity", 0.3)
        .put("enableBackchannel", false).put("language", "yue-CN")
        .put("voicemailMessage", "Please call back").put("sttMode", "accurate");
    JsonObject created = create(settings).json();
    settings.forEach(e -> assertThat(created.getValue(e.getKey())).as(e.getKey())
        .isEqualTo(e.getValue()));
    // a tool keeps its fields in one order, so it reads back exactly as written
    assertThat(created.getJsonArray("customTools").getJsonObject(0).fieldNames())
        .containsExactly("name", "description", "url", "method", "headers", "parameters",
            "timeoutMs", "speakDuringExecution", "executionMessage");
    JsonObject read = sandbox.api.get("/v1/agents/" + created.getString("id"), key).json();
    assertThat(read).isEqualTo(created);
  }

  @Test
  void patchChangesWhatIsSentReplacesTheToolsAndNullResetsToTheDefault() {
    JsonObject agent = create(new JsonObject().put("voiceSpeed", 1.5).put("language", "de-DE")
        .put("customTools", new JsonArray().add(tool("a")).add(tool("b")))
        .put("callScreeningIdentity", "Acme")).json();
    String path = "/v1/agents/" + agent.getString("id");

    JsonObject patched = sandbox.api.patch(path, key, new JsonObject().put("voiceSpeed", 0.75)
        .put("customTools", new JsonArray().add(tool("c")))).json();
    assertThat(patched.getDouble("voiceSpeed")).isEqualTo(0.75);
    assertThat(patched.getString("language")).isEqualTo("de-DE");
    assertThat(patched.getJsonArray("customTools")).containsExactly(tool("c"));
    assertThat(patched.getString("callScreeningIdentity")).isEqualTo("Acme");

    JsonObject cleared = sandbox.api.patch(path, key, new JsonObject()
        .put("customTools", new JsonArray())).json();
    assertThat(cleared.getJsonArray("customTools")).isEmpty();

    JsonObject reset = sandbox.api.patch(path, key, new JsonObject().putNull("voiceSpeed")
        .putNull("language").putNull("customTools").putNull("callScreeningIdentity")).json();
    assertThat(reset.getDouble("voiceSpeed")).isEqualTo(1.0);
    assertThat(reset.getString("language")).isEqualTo("en-US");
    assertThat(reset.getValue("customTools")).isNull();
    assertThat(reset.getValue("callScreeningIdentity")).isNull();
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheField() {
    record Case(String field, Object value, String type) {
    }
    List<Case> cases = List.of(
        new Case("voiceSpeed", 0.49, "greater_than_equal"),
        new Case("voiceSpeed", 2.01, "less_than_equal"),
        new Case("voiceSpeed", "fast", "float_type"),
        new Case("interruptionSensitivity", -0.1, "greater_than_equal"),
        new Case("interruptionSensitivity", 1.5, "less_than_equal"),
        new Case("maxSilenceMs", 9999, "greater_than_equal"),
        new Case("maxSilenceMs", 3600001, "less_than_equal"),
        new Case("maxSilenceMs", 20000.5, "int_type"),
        new Case("enableMessaging", "yes", "bool_type"),
        new Case("enableBackchannel", 1, "bool_type"),
        new Case("ambientSound", "rain", "enum"),
        new Case("denoisingMode", "none", "enum"),
        new Case("language", "en-us", "enum"),
        new Case("language", "xx-XX", "enum"),
        new Case("callScreeningPurpose", 42, "string_type"));
    String agentPath = "/v1/agents/" + create(new JsonObject()).json().getString("id");
    for (Case c : cases) {
      JsonObject body = new JsonObject().put(c.field(), c.value());
      for (Api.Response response : new Api.Response[] {create(body),
          sandbox.api.patch(agentPath, key, body)}) {
        JsonObject error = onlyError(response);
        assertThat(error.getJsonArray("loc")).as(c.toString()).containsExactly("body", c.field());
        assertThat(error.getString("type")).as(c.toString()).isEqualTo(c.type());
      }
    }
    // the bounds themselves are inside the range
    JsonObject edges = create(new JsonObject().put("voiceSpeed", 0.5)
        .put("interruptionSensitivity", 0).put("maxSilenceMs", 3600000)).json();
    assertThat(edges.getDouble("voiceSpeed")).isEqualTo(0.5);
    assertThat(edges.getDouble("interruptionSensitivity")).isEqualTo(0.0);
    assertThat(edges.getInteger("maxSilenceMs")).isEqualTo(3600000);
    assertThat(onlyError(sandbox.api.patch(agentPath, key, new JsonObject().put("voiceSpeed", 5)))
        .getString("msg")).isEqualTo("Input should be less than or equal to 2");
    // a refused PATCH changed nothing
    assertThat(sandbox.api.get(agentPath, key).json().getDouble("voiceSpeed")).isEqualTo(1.0);
  }

  @Test
  void customToolsFollowTheClientsRules() {
    record Case(Object tools, List<Object> loc, String type) {
    }
    JsonArray twentyOne = new JsonArray();
    for (int i = 0; i < 21; i++) {
      twentyOne.add(tool("t" + i));
    }
    JsonArray twenty = new JsonArray();
    twentyOne.stream().limit(20).forEach(twenty::add);
    List<Case> cases = List.of(
        new Case("order_status", List.of("body", "customTools"), "list_type"),
        new Case(twentyOne, List.of("body", "customTools"), "too_long"),
        new Case(new JsonArray().add("x"), List.of("body", "customTools", 0), "model_type"),
        new Case(new JsonArray().add(tool("a").put("name", "has space")),
            List.of("body", "customTools", 0, "name"), "string_pattern_mismatch"),
        new Case(new JsonArray().add(tool("a").put("name", "x".repeat(65))),
            List.of("body", "customTools", 0, "name"), "string_pattern_mismatch"),
        new Case(new JsonArray().add(tool("end_call")),
            List.of("body", "customTools", 0, "name"), "value_error"),
        new Case(new JsonArray().add(tool("send_message")),
            List.of("body", "customTools", 0, "name"), "value_error"),
        new Case(new JsonArray().add(tool("dup")).add(tool("dup")),
            List.of("body", "customTools", 1, "name"), "value_error"),
        new Case(new JsonArray().add(tool("a").putNull("description")),
            List.of("body", "customTools", 0, "description"), "missing"),
        new Case(new JsonArray().add(tool("a").put("url", "ftp://example.com/x")),
            List.of("body", "customTools", 0, "url"), "url_scheme"),
        new Case(new JsonArray().add(tool("a").put("url", "not a url")),
            List.of("body", "customTools", 0, "url"), "url_parsing"),
        new Case(new JsonArray().add(tool("a").put("method", "DELETE")),
            List.of("body", "customTools", 0, "method"), "enum"),
        new Case(new JsonArray().add(tool("a").put("timeoutMs", 999)),
            List.of("body", "customTools", 0, "timeoutMs"), "greater_than_equal"),
        new Case(new JsonArray().add(tool("a").put("timeoutMs", 120001)),
            List.of("body", "customTools", 0, "timeoutMs"), "less_than_equal"),
        new Case(new JsonArray().add(tool("a").put("headers", new JsonObject().put("X-N", 1))),
            List.of("body", "customTools", 0, "headers", "X-N"), "string_type"),
        new Case(new JsonArray().add(tool("a").put("headers",
                new JsonObject().put("Bad Name", "v"))),
            List.of("body", "customTools", 0, "headers", "Bad Name"), "value_error"),
        new Case(new JsonArray().add(tool("a").put("parameters",
                new JsonObject().put("type", "string"))),
            List.of("body", "customTools", 0, "parameters", "type"), "value_error"),
        new Case(new JsonArray().add(tool("a").put("speakDuringExecution", "yes")),
            List.of("body", "customTools", 0, "speakDuringExecution"), "bool_type"));
    for (Case c : cases) {
      JsonObject error = onlyError(create(new JsonObject().put("customTools", c.tools())));
      assertThat(error.getJsonArray("loc").getList()).as(c.toString()).isEqualTo(c.loc());
      assertThat(error.getString("type")).as(c.toString()).isEqualTo(c.type());
    }
    assertThat(create(new JsonObject().put("customTools", twenty)).json()
        .getJsonArray("customTools")).hasSize(20);
  }

  @Test
  void liveModeWantsHttpsToolsThatReachNoPrivateAddress() {
    try (TestEngine strict = TestEngine.builder()
        .config(Map.of("webhooks.allowPrivateTargets", false)).start()) {
      String strictKey = strict.newKey();
      Api.Response http = strict.api.post("/v1/agents", strictKey, new JsonObject()
          .put("name", "x").put("customTools", new JsonArray()
              .add(tool("a").put("url", "http://tools.example.com/a"))));
      JsonObject scheme = onlyError(http);
      assertThat(scheme.getString("type")).isEqualTo("url_scheme");
      assertThat(scheme.getString("msg")).isEqualTo("URL scheme should be 'https'");

      Api.Response loopback = strict.api.post("/v1/agents", strictKey, new JsonObject()
          .put("name", "x").put("customTools", new JsonArray().add(tool("ok"))
              .add(tool("b").put("url", "https://127.0.0.1:8443/b"))));
      JsonObject refused = onlyError(loopback);
      assertThat(refused.getJsonArray("loc").getList())
          .isEqualTo(List.of("body", "customTools", 1, "url"));
      assertThat(refused.getString("msg")).contains("loopback");
      assertThat(strict.api.get("/v1/agents", strictKey).json().getInteger("total")).isOne();
    }
    // where private targets are allowed (the sandbox), a tool on this machine may use http
    assertThat(create(new JsonObject().put("customTools", new JsonArray()
        .add(tool("local").put("url", "http://127.0.0.1:9000/tool")))).status()).isEqualTo(200);
  }
}
