package dev.agentphone;

import dev.agentphone.platform.EmbeddedDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Data on the embedded database survives stopping and starting the engine and the database. */
class PersistenceTest {
  @TempDir
  Path dataDir;

  @Test
  void dataSurvivesARestart() throws Exception {
    JsonObject account;
    String agentId;
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0);
         TestEngine first = TestEngine.builder().database(db.url()).start()) {
      account = first.signUp("restart@example.com");
      agentId = first.api.post("/v1/agents", account.getString("api_key"),
          new JsonObject().put("name", "Survivor")).json().getString("id");
    }
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0);
         TestEngine second = TestEngine.builder().database(db.url()).start()) {
      String key = account.getString("api_key");
      assertThat(second.api.get("/v1/agents/" + agentId, key).json().getString("name"))
          .isEqualTo("Survivor");
      assertThat(second.api.get("/v1/agents", key).json().getInteger("total")).isEqualTo(2);
      assertThat(second.api.post("/v0/agent/sign-up", null,
          new JsonObject().put("human_email", "restart@example.com")).status()).isEqualTo(409);
    }
  }
}
