package dev.agentphone.registration;

import dev.agentphone.support.Api;
import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sandbox's schedule: a registration goes through its stages to approval, the due times live
 * in the database (a restart neither resets nor loses them), and several nodes on one database
 * move each registration through each stage exactly once.
 */
class RegistrationScheduleTest {
  private static final List<String> STAGES = List.of("brand_submitted", "brand_approved",
      "campaign_submitted", "campaign_approved");

  private static void await(String what, BooleanSupplier done) {
    long until = System.currentTimeMillis() + 30_000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > until) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static JsonObject status(Api api, String key) {
    return api.get("/v1/register/status", key).json();
  }

  /** The stages the registration of {@code accountId} went through, in order. */
  private static List<String> history(TestEngine engine, String accountId) {
    Object history = engine.sql("SELECT history::text AS h FROM registrations WHERE account_id = ?",
        accountId).get(0).get("h");
    List<String> stages = new ArrayList<>();
    new JsonArray(history.toString()).forEach(e -> stages.add(((JsonObject) e).getString("stage")));
    return stages;
  }

  private static Map<String, Object> fast(double stageSeconds) {
    return Map.of("registration.sandboxStageSeconds", stageSeconds,
        "registration.workerIntervalMillis", 100);
  }

  @Test
  void aSandboxRegistrationGoesThroughItsStagesToApproval() {
    try (TestEngine engine = TestEngine.builder().config(fast(0.3)).start()) {
      JsonObject account = engine.signUp("sched-" + System.nanoTime() + "@example.com");
      String key = account.getString("api_key");
      assertThat(engine.api.post("/v1/register", key, Registrations.soleProprietor()
          .put("create_sub_account", false)).status()).isEqualTo(200);
      await("approved", () -> "approved".equals(status(engine.api, key)
          .getString("campaign_status")));
      JsonObject approved = status(engine.api, key);
      assertThat(approved.getString("stage")).isEqualTo("campaign_approved");
      assertThat(approved.getString("message")).contains("approved");
      assertThat(history(engine, account.getString("account_id"))).isEqualTo(STAGES);
    }
  }

  @Test
  void theScheduleIsKeptInTheDatabaseAcrossARestart() {
    String database = TestDatabase.fresh();
    JsonObject account;
    // this engine's worker never runs: the first stage falls due while it is down
    try (TestEngine first = TestEngine.builder().database(database).config(Map.of(
        "registration.sandboxStageSeconds", 1, "registration.workerIntervalMillis", 3_600_000))
        .start()) {
      account = first.signUp("restart-" + System.nanoTime() + "@example.com");
      assertThat(first.api.post("/v1/register", account.getString("api_key"),
          Registrations.soleProprietor().put("create_sub_account", false)).status())
          .isEqualTo(200);
    }
    String key = account.getString("api_key");
    // the next engine is slow per stage, yet the stage stored as due is taken at its time
    try (TestEngine second = TestEngine.builder().database(database).config(fast(3600)).start()) {
      await("brand approved", () -> "brand_approved".equals(status(second.api, key)
          .getString("stage")));
      assertThat(status(second.api, key).getString("campaign_status")).isEqualTo("pending");
    }
    try (TestEngine third = TestEngine.builder().database(database).config(fast(0.2)).start()) {
      // the stage after it was scheduled an hour ahead by the engine that took it
      assertThat(third.sql("SELECT next_check_at > now() + interval '30 minutes' AS later "
          + "FROM registrations WHERE account_id = ?", account.getString("account_id"))
          .get(0).get("later")).isEqualTo(true);
      assertThat(status(third.api, key).getString("stage")).isEqualTo("brand_approved");
    }
  }

  @Test
  void severalNodesMoveEachRegistrationThroughEachStageOnce() {
    String database = TestDatabase.fresh();
    try (TestEngine a = TestEngine.builder().database(database).config(fast(0.2)).start();
         TestEngine b = TestEngine.builder().database(database).config(fast(0.2)).start()) {
      List<JsonObject> accounts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        JsonObject account = a.signUp("nodes-" + i + "-" + System.nanoTime() + "@example.com");
        TestEngine via = i % 2 == 0 ? a : b;
        assertThat(via.api.post("/v1/register", account.getString("api_key"),
            Registrations.soleProprietor().put("create_sub_account", false)).status())
            .isEqualTo(200);
        accounts.add(account);
      }
      for (JsonObject account : accounts) {
        await("approved", () -> "approved".equals(status(b.api, account.getString("api_key"))
            .getString("campaign_status")));
        assertThat(history(a, account.getString("account_id"))).isEqualTo(STAGES);
      }
    }
  }
}
