package dev.agentphone.calls;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.agentphone.support.RetellDriver.poll;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiting for a call to end, as the official MCP server does: {@code GET /v1/calls/{id}?wait=
 * true&timeout=N} ({@code get_call}) and {@code POST /v1/calls} with {@code waitForCompletion}
 * ({@code make_conversation_call}) answer with the call and its transcript once it has ended, or
 * with the call as it stands when the wait is over.
 */
class CallWaitTest {
  static TestEngine engine;

  @BeforeAll
  static void start() {
    engine = TestEngine.builder().config(Map.of("calls.waitKeepAliveMillis", 500)).start();
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  record Account(String key, String agentId) {
  }

  private static Account account() {
    JsonObject a = engine.signUp("wait-" + System.nanoTime() + "@example.com");
    return new Account(a.getString("api_key"), a.getString("agent_id"));
  }

  private static String place(Account account) {
    Api.Response placed = engine.api.post("/v1/calls", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("toNumber", "+14155550123")
        .put("initialGreeting", "Hi, this is Acme."));
    assertThat(placed.status()).isEqualTo(200);
    return placed.json().getString("id");
  }

  private static Api.Response say(Account account, String callId, String text) {
    return engine.api.post("/sandbox/calls/" + callId + "/say", account.key(),
        new JsonObject().put("text", text));
  }

  private static CompletableFuture<Api.Response> waitFor(Account account, String query) {
    return CompletableFuture.supplyAsync(() -> engine.api.get(query, account.key()));
  }

  @Test
  void aWaitingGetAnswersOnceTheCallHasEndedWithItsTranscript() throws Exception {
    Account account = account();
    String callId = place(account);
    poll(() -> say(account, callId, "Hello there").status() == 200);
    CompletableFuture<Api.Response> waiting =
        waitFor(account, "/v1/calls/" + callId + "?wait=true&timeout=60");
    // parked while the call goes on
    assertThat(say(account, callId, "What time is it?").status()).isEqualTo(200);
    assertThat(waiting).isNotDone();
    assertThat(engine.api.post("/sandbox/calls/" + callId + "/hangup", account.key(), null)
        .status()).isEqualTo(200);

    Api.Response answer = waiting.get(30, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    JsonObject call = answer.json();
    assertThat(call.getString("status")).isEqualTo("completed");
    assertThat(call.getString("endedAt")).isNotNull();
    JsonArray transcripts = call.getJsonArray("transcripts");
    assertThat(transcripts.getJsonObject(0).getString("response")).isEqualTo("Hi, this is Acme.");
    assertThat(transcripts).extracting(t -> ((JsonObject) t).getString("transcript"))
        .contains("Hello there", "What time is it?");
  }

  @Test
  void whenTheWaitIsOverTheLiveCallIsAnsweredAsItStands() {
    Account account = account();
    String callId = place(account);
    Api.Response answer = engine.api.get("/v1/calls/" + callId + "?wait=true&timeout=10",
        account.key());
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    // the wait kept the connection busy with whitespace, which JSON allows before the value
    assertThat(answer.body()).startsWith(" ");
    assertThat(answer.json().getString("status")).isEqualTo("in-progress");
    assertThat(answer.json().getString("id")).isEqualTo(callId);
  }

  @Test
  void anEndedCallIsAnsweredAtOnceAndAnotherAccountsIsNotFound() throws Exception {
    Account account = account();
    String callId = place(account);
    engine.api.post("/v1/calls/" + callId + "/end", account.key(), null);
    poll(() -> !"in-progress".equals(engine.api.get("/v1/calls/" + callId, account.key()).json()
        .getString("status")));
    Api.Response ended = waitFor(account, "/v1/calls/" + callId + "?wait=true&timeout=300")
        .get(5, TimeUnit.SECONDS);
    assertThat(ended.json().getString("status")).isEqualTo("completed");

    Account other = account();
    String live = place(account);
    Api.Response foreign = waitFor(other, "/v1/calls/" + live + "?wait=true&timeout=300")
        .get(5, TimeUnit.SECONDS);
    assertThat(foreign.status()).isEqualTo(404);
    assertThat(foreign.detail()).isEqualTo("Call not found");
  }

  @Test
  void theWaitParametersAreChecked() {
    Account account = account();
    String callId = place(account);
    for (String query : new String[] {"wait=true&timeout=5", "wait=true&timeout=301",
        "wait=true&timeout=soon", "wait=perhaps"}) {
      Api.Response refused = engine.api.get("/v1/calls/" + callId + "?" + query, account.key());
      assertThat(refused.status()).as(query).isEqualTo(422);
      assertThat(refused.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc")
          .getString(0)).isEqualTo("query");
    }
    // a timeout without wait=true means nothing (the MCP server always sends one)
    for (String query : new String[] {"timeout=120", "timeout=soon", "wait=false&timeout=1"}) {
      Api.Response plain = engine.api.get("/v1/calls/" + callId + "?" + query, account.key());
      assertThat(plain.status()).as(query).isEqualTo(200);
      assertThat(plain.json().getString("status")).isEqualTo("in-progress");
    }
  }

  @Test
  void aCallPlacedWithWaitForCompletionAnswersWithItsTranscriptOnceItEnds() throws Exception {
    Account account = account();
    CompletableFuture<Api.Response> placing = CompletableFuture.supplyAsync(() ->
        engine.api.post("/v1/calls", account.key(), new JsonObject()
            .put("agentId", account.agentId()).put("toNumber", "+14155550123")
            .put("systemPrompt", "Ask how their day was.").put("initialGreeting", "Hi there!")
            .put("waitForCompletion", true).put("maxWaitSeconds", 120)));
    poll(() -> engine.api.get("/v1/calls", account.key()).json().getInteger("total") == 1);
    String callId = engine.api.get("/v1/calls", account.key()).json().getJsonArray("data")
        .getJsonObject(0).getString("id");
    poll(() -> say(account, callId, "Hello").status() == 200);
    assertThat(placing).isNotDone();
    // the built-in responder hangs up on goodbye
    assertThat(say(account, callId, "Bye now").json().getBoolean("endCall")).isTrue();

    Api.Response answer = placing.get(30, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo(200);
    JsonObject call = answer.json();
    assertThat(call.getString("id")).isEqualTo(callId);
    assertThat(call.getString("status")).isEqualTo("completed");
    JsonArray transcripts = call.getJsonArray("transcripts");
    assertThat(transcripts.getJsonObject(transcripts.size() - 1).getString("transcript"))
        .isEqualTo("Bye now");
    assertThat(transcripts.getJsonObject(transcripts.size() - 1).getString("response"))
        .isEqualTo("Thanks for calling. Goodbye!");

    // without the flag the call is answered at once, as before
    Api.Response quick = engine.api.post("/v1/calls", account.key(), new JsonObject()
        .put("agentId", account.agentId()).put("toNumber", "+14155550123")
        .put("waitForCompletion", false).put("maxWaitSeconds", 300));
    assertThat(quick.json().getString("status")).isEqualTo("in-progress");
  }
}
