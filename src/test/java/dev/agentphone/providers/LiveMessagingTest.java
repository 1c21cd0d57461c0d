package dev.agentphone.providers;

import com.twilio.http.HttpMethod;
import dev.agentphone.support.Api;
import dev.agentphone.support.FakeRetellApi;
import dev.agentphone.support.FakeTwilio;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messaging in live mode: SMS and MMS go through Twilio; no iMessage carrier is integrated, so
 * iMessage-only options on an SMS line are 400 and an iMessage line (left from sandbox mode in the
 * same database) answers 501 for everything that needs its carrier.
 */
class LiveMessagingTest {
  @Test
  void iMessageFeaturesAreRefusedClearlyInLiveMode() {
    String database = TestDatabase.fresh();
    JsonObject account;
    String imessageLine;
    String imessageChat;
    try (TestEngine sandbox = TestEngine.builder().database(database).start()) {
      account = sandbox.signUp("live-msg-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      imessageLine = sandbox.api.post("/v1/numbers", key, new JsonObject().put("type", "imessage")
          .put("agentId", account.getString("agent_id"))).json().getString("phoneNumber");
      imessageChat = sandbox.api.post("/sandbox/imessage", key, new JsonObject()
          .put("from", "+12125550191").put("to", imessageLine).put("body", "hi")).json()
          .getString("conversationId");
    }
    FakeTwilio twilio = new FakeTwilio();
    try (FakeRetellApi retell = new FakeRetellApi();
         TestEngine live = TestEngine.builder().database(database).config(Map.of(
             "providers", "live", "retell.apiKey", "key_live_retell",
             "retell.baseUrl", retell.baseUrl(), "twilio.accountSid", FakeTwilio.ACCOUNT_SID,
             "twilio.authToken", FakeTwilio.AUTH_TOKEN, "email.smtpHost", "localhost",
             "email.smtpPort", TestEngine.freePort()))
             .edges(new ProviderEdges(twilio)).start()) {
      Api api = live.api;
      String key = account.getString("api_key");
      JsonObject smsLine = api.post("/v1/numbers", key, new JsonObject()).json();
      String sms = smsLine.getString("phoneNumber");
      assertThat(api.post("/v1/numbers", key, new JsonObject().put("type", "imessage"))
          .status()).isEqualTo(400);

      // MMS through Twilio, each media URL a MediaUrl parameter
      Api.Response mms = api.post("/v1/messages", key, new JsonObject().put("from_number", sms)
          .put("to_number", "+12125550192").put("body", "Menu")
          .put("media_urls", new JsonArray().add("https://example.com/1.jpg")
              .add("https://example.com/2.jpg")));
      assertThat(mms.status()).as(mms.body()).isEqualTo(200);
      assertThat(mms.json().getString("channel")).isEqualTo("mms");
      assertThat(twilio.calls(HttpMethod.POST, "/Messages.json").get(0).formValues()
          .get("MediaUrl")).containsExactly("https://example.com/1.jpg",
              "https://example.com/2.jpg");

      // iMessage-only options on the Twilio line: 400, and Twilio is not asked
      twilio.reset();
      assertThat(api.post("/v1/messages", key, new JsonObject().put("from_number", sms)
          .put("to_number", "+12125550192").put("body", "x").put("send_style", "loud"))
          .status()).isEqualTo(400);
      assertThat(api.post("/v1/messages", key, new JsonObject().put("from_number", sms)
          .put("recipients", new JsonArray().add("+12125550192").add("+12125550193"))
          .put("body", "x")).status()).isEqualTo(400);
      assertThat(twilio.calls(HttpMethod.POST, "/Messages.json")).isEmpty();
      assertThat(TwilioForms.post(api, "/webhooks/twilio/sms", TwilioForms.sms(
          "SM" + System.nanoTime(), "+12125550192", sms, "hello"), FakeTwilio.AUTH_TOKEN)
          .status()).isEqualTo(200);
      String smsChat = api.get("/v1/conversations", key).json().getJsonArray("data").stream()
          .map(JsonObject.class::cast).filter(c -> sms.equals(c.getString("phoneNumber")))
          .findFirst().orElseThrow().getString("id");
      assertThat(api.post("/v1/conversations/" + smsChat + "/typing", key, null).status())
          .isEqualTo(400);
      assertThat(api.post("/v1/conversations/" + smsChat + "/background", key, new JsonObject()
          .put("image_url", "https://example.com/bg.png")).status()).isEqualTo(400);

      // the iMessage line has no carrier in live mode: 501, saying so
      Api.Response typing = api.post("/v1/conversations/" + imessageChat + "/typing", key, null);
      assertThat(typing.status()).isEqualTo(501);
      assertThat(typing.json().getString("detail")).contains("No iMessage carrier")
          .contains("sandbox mode only");
      assertThat(api.delete("/v1/conversations/" + imessageChat + "/background", key).status())
          .isEqualTo(501);
      Api.Response send = api.post("/v1/messages", key, new JsonObject()
          .put("from_number", imessageLine).put("to_number", "+12125550191").put("body", "hi"));
      assertThat(send.status()).isEqualTo(501);
      assertThat(live.sql("SELECT count(*) AS n FROM messages WHERE from_number = ?",
          imessageLine).get(0).get("n")).isEqualTo(0L);
    }
  }
}
