package dev.agentphone.accounts;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignupTest {
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

  private static String email() {
    return "signup-" + System.nanoTime() + "@example.com";
  }

  private static JsonObject signUp(String email, String agentName) {
    Api.Response response = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email).put("agent_name", agentName));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static Api.Response verify(String verificationId, String code) {
    return api.post("/v0/agent/verify", null,
        new JsonObject().put("verification_id", verificationId).put("otp_code", code));
  }

  private static String wrong(String code) {
    return String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
  }

  @Test
  void happyPathCreatesAWorkingAccount() {
    String email = email();
    JsonObject started = signUp(email, "Concierge");
    assertThat(started.getString("verification_id")).startsWith("ver_");
    assertThat(started.getString("human_email")).isEqualTo(email);
    assertThat(started.getString("expires_at")).isNotBlank();
    assertThat(started.getString("message")).contains(email);

    JsonObject email0 = api.get("/sandbox/emails?to=" + email, null).json()
        .getJsonArray("data").getJsonObject(0);
    assertThat(email0.getString("to")).isEqualTo(email);
    assertThat(email0.getString("subject")).contains("verification code");
    assertThat(email0.getString("sentAt")).isNotBlank();

    Api.Response verified = verify(started.getString("verification_id"), api.latestCode(email));
    assertThat(verified.status()).isEqualTo(200);
    JsonObject account = verified.json();
    assertThat(account.getString("account_id")).startsWith("acct_");
    assertThat(account.getString("agent_id")).startsWith("agt_");
    assertThat(account.getString("number_id")).startsWith("num_");
    assertThat(account.getString("phone_number")).matches("\\+1\\d{3}55501\\d\\d");
    assertThat(account.getString("api_key")).startsWith("sk_live_");

    String key = account.getString("api_key");
    JsonObject agent = api.get("/v1/agents/" + account.getString("agent_id"), key).json();
    assertThat(agent.getString("name")).isEqualTo("Concierge");
    assertThat(agent.getString("voiceMode")).isEqualTo("hosted");
    assertThat(server.sql("SELECT count(*) AS n FROM charges WHERE account_id = ?",
        account.getString("account_id")).get(0).get("n")).isEqualTo(1L);
    assertThat(server.sql("SELECT count(*) AS n FROM users WHERE email = ?", email)
        .get(0).get("n")).isEqualTo(1L);
    // the code cannot be used twice
    assertThat(verify(started.getString("verification_id"), api.latestCode(email)).status())
        .isEqualTo(400);
  }

  @Test
  void starterAgentHasADefaultName() {
    String email = email();
    JsonObject started = signUp(email, null);
    JsonObject account = verify(started.getString("verification_id"), api.latestCode(email)).json();
    assertThat(api.get("/v1/agents/" + account.getString("agent_id"), account.getString("api_key"))
        .json().getString("name")).isEqualTo("My Agent");
  }

  @Test
  void wrongCodeIsRefusedAndCounted() {
    String email = email();
    JsonObject started = signUp(email, null);
    String code = api.latestCode(email);
    Api.Response refused = verify(started.getString("verification_id"), wrong(code));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).isEqualTo("Invalid verification code");
    assertThat(server.sql("SELECT attempts FROM signup_verifications WHERE id = ?",
        started.getString("verification_id")).get(0).get("attempts")).isEqualTo(1);
    // the right code still works afterwards
    assertThat(verify(started.getString("verification_id"), code).status()).isEqualTo(200);
  }

  @Test
  void sixthAttemptIsRefusedEvenWithTheRightCode() {
    String email = email();
    JsonObject started = signUp(email, null);
    String code = api.latestCode(email);
    for (int i = 0; i < 5; i++) {
      assertThat(verify(started.getString("verification_id"), wrong(code)).status()).isEqualTo(400);
    }
    Api.Response sixth = verify(started.getString("verification_id"), code);
    assertThat(sixth.status()).isEqualTo(429);
    assertThat(sixth.json().getString("detail")).contains("Too many");
    assertThat(server.sql("SELECT count(*) AS n FROM accounts WHERE email = ?", email)
        .get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void aNewSignUpDoesNotResetTheFailureCount() {
    String email = email();
    JsonObject first = signUp(email, null);
    String firstCode = api.latestCode(email);
    for (int i = 0; i < 5; i++) {
      verify(first.getString("verification_id"), wrong(firstCode));
    }
    JsonObject second = signUp(email, null);
    Api.Response refused = verify(second.getString("verification_id"), api.latestCode(email));
    assertThat(refused.status()).isEqualTo(429);
  }

  @Test
  void expiredCodeIsRefused() {
    String email = email();
    JsonObject started = signUp(email, null);
    server.sql("UPDATE signup_verifications SET expires_at = now() - interval '1 second' "
        + "WHERE id = ?", started.getString("verification_id"));
    Api.Response refused = verify(started.getString("verification_id"), api.latestCode(email));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().getString("detail")).contains("expired");
  }

  @Test
  void codesExpireAfterTenMinutes() {
    String email = email();
    JsonObject started = signUp(email, null);
    Object seconds = server.sql("SELECT extract(epoch FROM expires_at - created_at)::int AS s "
        + "FROM signup_verifications WHERE id = ?", started.getString("verification_id"))
        .get(0).get("s");
    assertThat(seconds).isEqualTo(600);
  }

  @Test
  void codesAreStoredOnlyAsKeyedHashes() {
    String email = email();
    JsonObject started = signUp(email, null);
    String code = api.latestCode(email);
    String stored = (String) server.sql("SELECT code_hmac FROM signup_verifications WHERE id = ?",
        started.getString("verification_id")).get(0).get("code_hmac");
    assertThat(stored).doesNotContain(code).hasSize(64);
  }

  @Test
  void duplicateEmailIs409() {
    String email = email();
    server.signUp(email);
    Api.Response again = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", email.toUpperCase()));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.json().getString("detail")).contains("already exists");
  }

  @Test
  void verifyOfAnUnknownIdIs404AndBadInputIs422() {
    assertThat(verify("ver_nope", "123456").status()).isEqualTo(404);
    Api.Response badCode = verify("ver_nope", "12ab");
    assertThat(badCode.status()).isEqualTo(422);
    Api.Response badEmail = api.post("/v0/agent/sign-up", null,
        new JsonObject().put("human_email", "not-an-email"));
    assertThat(badEmail.status()).isEqualTo(422);
    assertThat(badEmail.json().getJsonArray("detail").getJsonObject(0).getJsonArray("loc"))
        .containsExactly("body", "human_email");
  }

  @Test
  void verifyIsAllOrNothing() {
    String email = email();
    JsonObject started = signUp(email, null);
    String code = api.latestCode(email);
    // the last write of the transaction fails: nothing before it may remain
    server.sql("CREATE FUNCTION fail_key() RETURNS trigger AS $$ BEGIN "
        + "RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql");
    server.sql("CREATE TRIGGER fail_key BEFORE INSERT ON api_keys "
        + "FOR EACH ROW EXECUTE FUNCTION fail_key()");
    try {
      Api.Response failed = verify(started.getString("verification_id"), code);
      assertThat(failed.status()).isEqualTo(500);
      assertThat(failed.json().getString("detail")).isEqualTo("Internal server error");
    } finally {
      server.sql("DROP TRIGGER fail_key ON api_keys");
      server.sql("DROP FUNCTION fail_key()");
    }
    for (String table : new String[] {"accounts", "users"}) {
      assertThat(server.sql("SELECT count(*) AS n FROM " + table + " WHERE email = ?", email)
          .get(0).get("n")).as(table).isEqualTo(0L);
    }
    assertThat(server.sql("SELECT consumed_at FROM signup_verifications WHERE id = ?",
        started.getString("verification_id")).get(0).get("consumed_at")).isNull();
    // once the fault is gone the same code completes the signup
    Api.Response retried = verify(started.getString("verification_id"), code);
    assertThat(retried.status()).isEqualTo(200);
    String accountId = retried.json().getString("account_id");
    assertThat(server.sql("SELECT count(*) AS n FROM agents WHERE account_id = ?", accountId)
        .get(0).get("n")).isEqualTo(1L);
    assertThat(server.sql("SELECT count(*) AS n FROM phone_numbers WHERE account_id = ?", accountId)
        .get(0).get("n")).isEqualTo(1L);
  }
}
