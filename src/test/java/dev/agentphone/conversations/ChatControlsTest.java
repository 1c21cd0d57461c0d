package dev.agentphone.conversations;

import dev.agentphone.support.Api;
import dev.agentphone.support.CustomerWebhook;
import dev.agentphone.support.TestEngine;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Typing indicators and chat backgrounds: iMessage only, the background fetched through the SSRF
 * guard and checked, each request recorded and shown in the sandbox outbox.
 */
class ChatControlsTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13,
      'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
  static final byte[] GIF = "GIF89a\u0001\u0000\u0001\u0000".getBytes(
      java.nio.charset.StandardCharsets.ISO_8859_1);
  static TestEngine server;
  static Api api;
  static CustomerWebhook files;
  /** What the file server answers, by path: the bytes, served as image/png whatever they are. */
  static final Map<String, byte[]> served = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    server = TestEngine.start();
    api = server.api;
    files = new CustomerWebhook();
    files.answer(r -> {
      byte[] body = served.get(r.request().path());
      if (body == null) {
        r.request().response().setStatusCode(404).end();
      } else {
        r.request().response().putHeader("Content-Type", "image/png").end(Buffer.buffer(body));
      }
    });
  }

  @AfterAll
  static void stop() {
    server.close();
    files.close();
  }

  static String serve(String path, byte[] bytes) {
    served.put(path, bytes);
    return files.url().replace("/hook", path);
  }

  /** An account with an iMessage chat: {@code api_key, line, conversation}. */
  static JsonObject chat() {
    JsonObject account = server.signUp("chat-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    JsonObject line = api.post("/v1/numbers", key, new JsonObject().put("type", "imessage")
        .put("agentId", account.getString("agent_id"))).json();
    String conversation = api.post("/sandbox/imessage", key, new JsonObject()
        .put("from", "+12125550181").put("to", line.getString("phoneNumber"))
        .put("body", "hi")).json().getString("conversationId");
    return account.put("line", line.getString("phoneNumber")).put("conversation", conversation);
  }

  static JsonObject lastAsked(String key) {
    return api.get("/sandbox/sms", key).json().getJsonArray("data").getJsonObject(0);
  }

  @Test
  void typingIsSentToTheChatAndRecorded() {
    JsonObject chat = chat();
    String key = chat.getString("api_key");
    String id = chat.getString("conversation");
    Api.Response typing = api.post("/v1/conversations/" + id + "/typing", key, null);
    assertThat(typing.status()).as(typing.body()).isEqualTo(200);
    assertThat(typing.json()).isEqualTo(new JsonObject().put("conversationId", id)
        .put("channel", "imessage").put("status", "sent"));
    JsonObject asked = lastAsked(key);
    assertThat(asked.getString("action")).isEqualTo("typing");
    assertThat(asked.getString("from")).isEqualTo(chat.getString("line"));
    assertThat(asked.getString("to")).isEqualTo("+12125550181");
    assertThat(server.sql("SELECT typing_sent_at FROM conversations WHERE id = ?", id).get(0)
        .get("typing_sent_at")).isNotNull();
    assertThat(api.post("/v1/conversations/" + id + "/typing", server.newKey(), null).status())
        .isEqualTo(404);
    assertThat(api.post("/v1/conversations/conv_nope/typing", key, null).status())
        .isEqualTo(404);
  }

  @Test
  void aBackgroundIsFetchedCheckedAndSetOnce() {
    JsonObject chat = chat();
    String key = chat.getString("api_key");
    String id = chat.getString("conversation");
    String url = serve("/sunset.png", PNG);
    Api.Response set = api.post("/v1/conversations/" + id + "/background", key,
        new JsonObject().put("image_url", url));
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    JsonObject first = set.json();
    assertThat(first.getString("conversationId")).isEqualTo(id);
    assertThat(first.getString("channel")).isEqualTo("imessage");
    assertThat(first.getBoolean("hasBackground")).isTrue();
    assertThat(first.getInteger("backgroundVersion")).isEqualTo(1);
    assertThat(first.getBoolean("changed")).isTrue();
    JsonObject asked = lastAsked(key);
    assertThat(asked.getString("action")).isEqualTo("background.set");
    assertThat(asked.getJsonObject("details").getString("contentType")).isEqualTo("image/png");
    assertThat(asked.getJsonObject("details").getInteger("bytes")).isEqualTo(PNG.length);
    assertThat(asked.getJsonObject("details").getString("backgroundId"))
        .isEqualTo(first.getString("backgroundId"));

    // the same image again changes nothing and asks the carrier nothing
    JsonObject again = api.post("/v1/conversations/" + id + "/background", key,
        new JsonObject().put("image_url", url)).json();
    assertThat(again.getBoolean("changed")).isFalse();
    assertThat(again.getString("backgroundId")).isEqualTo(first.getString("backgroundId"));
    assertThat(again.getInteger("backgroundVersion")).isEqualTo(1);
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).hasSize(1);

    // another image replaces it: a GIF served as image/png is still a GIF
    JsonObject other = api.post("/v1/conversations/" + id + "/background", key,
        new JsonObject().put("image_url", serve("/other.png", GIF))).json();
    assertThat(other.getBoolean("changed")).isTrue();
    assertThat(other.getInteger("backgroundVersion")).isEqualTo(2);
    assertThat(lastAsked(key).getJsonObject("details").getString("contentType"))
        .isEqualTo("image/gif");
  }

  @Test
  void removingTheBackgroundIsIdempotent() {
    JsonObject chat = chat();
    String key = chat.getString("api_key");
    String id = chat.getString("conversation");
    assertThat(api.delete("/v1/conversations/" + id + "/background", key).status())
        .isEqualTo(204);
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).isEmpty();
    api.post("/v1/conversations/" + id + "/background", key,
        new JsonObject().put("image_url", serve("/remove.png", PNG)));
    assertThat(api.delete("/v1/conversations/" + id + "/background", key).status())
        .isEqualTo(204);
    assertThat(lastAsked(key).getString("action")).isEqualTo("background.remove");
    assertThat(api.delete("/v1/conversations/" + id + "/background", key).status())
        .isEqualTo(204);
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).hasSize(2);
    assertThat(server.sql("SELECT background_id FROM conversations WHERE id = ?", id).get(0)
        .get("background_id")).isNull();
    // the same image after a removal is set again
    assertThat(api.post("/v1/conversations/" + id + "/background", key,
        new JsonObject().put("image_url", serve("/remove.png", PNG))).json()
        .getBoolean("changed")).isTrue();
    assertThat(api.delete("/v1/conversations/" + id + "/background", server.newKey()).status())
        .isEqualTo(404);
  }

  @Test
  void whatIsNotAnImageIsRefused() {
    JsonObject chat = chat();
    String key = chat.getString("api_key");
    String path = "/v1/conversations/" + chat.getString("conversation") + "/background";
    byte[] big = Arrays.copyOf(PNG, 10 * 1024 * 1024 + 1);
    Map<String, String> refused = Map.of(
        serve("/text.png", "<html>not an image</html>".getBytes()), "not a JPEG",
        serve("/big.png", big), "larger than",
        files.url().replace("/hook", "/missing.png"), "HTTP 404",
        "https://host.invalid/x.png", "Could not fetch");
    refused.forEach((url, why) -> {
      Api.Response answer = api.post(path, key, new JsonObject().put("image_url", url));
      assertThat(answer.status()).as(url).isEqualTo(400);
      assertThat(answer.json().getString("detail")).as(url).contains(why);
    });
    for (Object bad : List.of("not a url", "ftp://example.com/x.png", 5)) {
      assertThat(api.post(path, key, new JsonObject().put("image_url", bad)).status())
          .as(String.valueOf(bad)).isEqualTo(422);
    }
    assertThat(api.post(path, key, new JsonObject()).status()).isEqualTo(422);
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).isEmpty();
  }

  @Test
  void smsConversationsHaveNoTypingOrBackground() {
    JsonObject account = server.signUp("chat-sms-" + System.nanoTime() + "@example.com");
    String key = account.getString("api_key");
    String id = api.post("/sandbox/sms", key, new JsonObject().put("from", "+12125550182")
            .put("to", account.getString("phone_number")).put("body", "hi")).json()
        .getJsonObject("message").getString("conversationId");
    Api.Response typing = api.post("/v1/conversations/" + id + "/typing", key, null);
    assertThat(typing.status()).isEqualTo(400);
    assertThat(typing.json().getString("detail")).contains("iMessage").contains("SMS line");
    Api.Response set = api.post("/v1/conversations/" + id + "/background", key,
        new JsonObject().put("image_url", serve("/sms.png", PNG)));
    assertThat(set.status()).isEqualTo(400);
    assertThat(set.json().getString("detail")).contains("iMessage");
    assertThat(api.delete("/v1/conversations/" + id + "/background", key).status())
        .isEqualTo(400);
    assertThat(api.get("/sandbox/sms", key).json().getJsonArray("data")).isEmpty();
  }

  @Test
  void theGuardKeepsBackgroundsAwayFromPrivateAddresses() {
    try (TestEngine guarded = TestEngine.builder()
        .config("webhooks.allowPrivateTargets", false).start()) {
      JsonObject account = guarded.signUp("guarded-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      JsonObject line = guarded.api.post("/v1/numbers", key, new JsonObject()
          .put("type", "imessage").put("agentId", account.getString("agent_id"))).json();
      String id = guarded.api.post("/sandbox/imessage", key, new JsonObject()
          .put("from", "+12125550183").put("to", line.getString("phoneNumber"))
          .put("body", "hi")).json().getString("conversationId");
      String path = "/v1/conversations/" + id + "/background";
      String https = "https://127.0.0.1:" + TestEngine.freePort() + "/x.png";
      Api.Response loopback = guarded.api.post(path, key, new JsonObject().put("image_url",
          https));
      assertThat(loopback.status()).isEqualTo(400);
      assertThat(loopback.json().getString("detail")).contains("loopback").contains("not allowed");
      Api.Response internal = guarded.api.post(path, key, new JsonObject().put("image_url",
          "https://169.254.169.254/latest/meta-data"));
      assertThat(internal.status()).isEqualTo(400);
      assertThat(internal.json().getString("detail")).contains("link-local");
      // without private targets only https is taken
      Api.Response plain = guarded.api.post(path, key, new JsonObject().put("image_url",
          serve("/plain.png", PNG)));
      assertThat(plain.status()).isEqualTo(422);
      assertThat(plain.json().getJsonArray("detail").getJsonObject(0).getString("msg"))
          .contains("https");
      assertThat(files.received.stream().noneMatch(r -> r.request().path().equals("/plain.png")))
          .isTrue();
    }
  }
}
