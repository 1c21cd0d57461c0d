package dev.agentphone.conversations;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import dev.agentphone.support.TwilioForms;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conversation list's {@code total} comes from maintained counts, not a count of the rows:
 * it stays the exact number of conversations the list has, for the account and for each agent,
 * as conversations are created (one by one and concurrently), deleted and moved, and a
 * sub-account's conversations are its own.
 */
class ConversationTotalsTest {
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

  private static void inbound(String to, String from) {
    Api.Response r = TwilioForms.post(api, "/webhooks/twilio/sms", TwilioForms.sms(
        "SM" + System.nanoTime(), from, to, "hello"), "sandbox-twilio-auth-token");
    assertThat(r.status()).isEqualTo(200);
  }

  private static long total(Api as, String key, String path) {
    Api.Response r = as.get(path + "?limit=1", key);
    assertThat(r.status()).isEqualTo(200);
    return r.json().getLong("total");
  }

  private static long counted(String accountId, String agentId) {
    return ((Number) server.sql("SELECT count(*) AS n FROM conversations c "
        + "JOIN phone_numbers p ON p.id = c.phone_number_id WHERE c.account_id = ? "
        + "AND (?::text IS NULL OR p.agent_id = ?)", accountId, agentId, agentId).get(0)
        .get("n")).longValue();
  }

  /** An account whose starter agent has its first number, and a second agent with a number. */
  private record Setup(String key, String accountId, String agent, String number,
      String otherAgent, String otherNumber, String otherNumberId) {
    static Setup create() {
      JsonObject account = server.signUp("totals-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      String other = api.post("/v1/agents", key, new JsonObject().put("name", "Other")).json()
          .getString("id");
      JsonObject number = api.post("/v1/numbers", key, new JsonObject().put("agentId", other))
          .json();
      return new Setup(key, account.getString("account_id"), account.getString("agent_id"),
          account.getString("phone_number"), other, number.getString("phoneNumber"),
          number.getString("id"));
    }

    void assertExact(long all, long ofAgent, long ofOther) {
      assertThat(total(api, key, "/v1/conversations")).isEqualTo(all)
          .isEqualTo(counted(accountId, null));
      assertThat(total(api, key, "/v1/agents/" + agent + "/conversations")).isEqualTo(ofAgent)
          .isEqualTo(counted(accountId, agent));
      assertThat(total(api, key, "/v1/agents/" + otherAgent + "/conversations"))
          .isEqualTo(ofOther).isEqualTo(counted(accountId, otherAgent));
    }
  }

  @Test
  void newConversationsCountOnceForTheAccountAndTheirNumbersAgent() {
    Setup s = Setup.create();
    s.assertExact(0, 0, 0);
    inbound(s.number(), "+12125550701");
    inbound(s.number(), "+12125550702");
    inbound(s.number(), "+12125550701"); // the same conversation again
    inbound(s.otherNumber(), "+12125550701"); // the same party on another number: a new one
    s.assertExact(3, 2, 1);
    assertThat(api.post("/v1/messages", s.key(), new JsonObject().put("agent_id", s.agent())
        .put("to_number", "+12125550703").put("body", "we start this one")).status())
        .isEqualTo(200);
    s.assertExact(4, 3, 1);
  }

  @Test
  void concurrentNewConversationsAreAllCounted() throws Exception {
    Setup s = Setup.create();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> posts = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        // 40 parties, each texting twice, to both numbers: 40 conversations on each
        String from = String.format("+1212556%04d", i % 40);
        String to = i % 2 == 0 ? s.number() : s.otherNumber();
        posts.add(threads.submit(() -> inbound(to, from)));
        posts.add(threads.submit(() -> inbound(to, from)));
      }
      for (Future<?> post : posts) {
        post.get(60, TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdown();
    }
    s.assertExact(40, 20, 20);
  }

  @Test
  void deletedAndMovedConversationsLeaveTheirCounts() {
    Setup s = Setup.create();
    inbound(s.number(), "+12125550711");
    inbound(s.number(), "+12125550712");
    inbound(s.otherNumber(), "+12125550713");
    s.assertExact(3, 2, 1);
    server.sql("DELETE FROM conversations WHERE account_id = ? AND participant = ?",
        s.accountId(), "+12125550712");
    s.assertExact(2, 1, 1);
    // moved to the other agent's number
    server.sql("UPDATE conversations SET phone_number_id = ? WHERE account_id = ? "
        + "AND participant = ?", s.otherNumberId(), s.accountId(), "+12125550711");
    s.assertExact(2, 0, 2);
    // a number deleted with its conversations (the foreign key's cascade)
    server.sql("DELETE FROM phone_numbers WHERE id = ?", s.otherNumberId());
    s.assertExact(0, 0, 0);
    inbound(s.number(), "+12125550714");
    s.assertExact(1, 1, 0);
  }

  @Test
  void aSubAccountsConversationsAreItsOwn() {
    JsonObject owner = server.signUp("totals-parent-" + System.nanoTime() + "@example.com");
    String key = owner.getString("api_key");
    String child = api.post("/v1/sub-accounts", key, new JsonObject().put("name", "Child"))
        .json().getString("id");
    Api asChild = api.asSubAccount(child);
    String agent = asChild.post("/v1/agents", key, new JsonObject().put("name", "Desk")).json()
        .getString("id");
    String number = asChild.post("/v1/numbers", key, new JsonObject().put("agentId", agent))
        .json().getString("phoneNumber");
    inbound(owner.getString("phone_number"), "+12125550721");
    inbound(number, "+12125550722");
    inbound(number, "+12125550723");
    assertThat(total(api, key, "/v1/conversations")).isEqualTo(1)
        .isEqualTo(counted(owner.getString("account_id"), null));
    assertThat(total(asChild, key, "/v1/conversations")).isEqualTo(2)
        .isEqualTo(counted(child, null));
    assertThat(total(asChild, key, "/v1/agents/" + agent + "/conversations")).isEqualTo(2);
  }
}
