package dev.agentphone.webhooks;

import dev.agentphone.support.TestDatabase;
import dev.agentphone.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A bulk replay job lives in the database: stopped part-way, the next engine finishes it. */
class WebhookReplayRestartTest {
  static final Map<String, Object> SETTINGS = Map.of(
      "webhooks.maxAttempts", 1,
      "webhooks.pollIntervalMs", 200,
      "webhooks.replayPerSecond", 1);

  @Test
  void aBulkReplayStoppedPartWayIsFinishedByTheNextEngine() {
    String database = TestDatabase.fresh();
    try (Receiver receiver = new Receiver()) {
      receiver.respond(hit -> Receiver.Reply.status(500));
      List<String> deadLetters = new ArrayList<>();
      String key;
      String jobId;
      TestEngine first = TestEngine.builder().database(database).config(SETTINGS).start();
      try {
        JsonObject owner = first.signUp("replay-restart-" + System.nanoTime() + "@example.com");
        key = owner.getString("api_key");
        first.api.post("/v1/webhooks", key, new JsonObject().put("url", receiver.url("/down")));
        for (int i = 0; i < 5; i++) {
          String eventId = Fixtures.recordEvent(first, owner.getString("account_id"),
              owner.getString("agent_id"), "agent.message", "sms", null,
              Fixtures.smsData("down " + i));
          deadLetters.add((String) Fixtures.awaitRow(first, r -> "failed".equals(r.get("status")),
              "SELECT id, status FROM webhook_deliveries WHERE event_id = ?", eventId).get("id"));
        }
        receiver.respond(hit -> Receiver.Reply.ok());
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        JsonObject started = first.api.post("/v1/webhooks/deliveries/replay", key,
            new JsonObject().put("status", "failed").put("since", now.minusHours(1).toString())
                .put("until", now.plusHours(1).toString())).json();
        assertThat(started.getInteger("count")).isEqualTo(5);
        jobId = started.getString("jobId");
        String job = jobId;
        Fixtures.awaitRow(first, r -> ((Integer) r.get("replayed")) >= 1,
            "SELECT replayed FROM webhook_replay_jobs WHERE id = ?", job);
      } finally {
        first.close();
      }
      Map<String, Object> stopped = TestDatabase.sql(database,
          "SELECT status, replayed FROM webhook_replay_jobs WHERE id = ?", jobId).get(0);
      assertThat(stopped.get("status")).isEqualTo("running");
      assertThat((Integer) stopped.get("replayed")).isLessThan(5);

      TestEngine second = TestEngine.builder().database(database).config(SETTINGS).start();
      try {
        JsonObject job;
        long deadline = System.nanoTime() + 30_000_000_000L;
        do {
          Receiver.sleep(100);
          job = second.api.get("/v1/webhooks/replays/" + jobId, key).json();
        } while (!"completed".equals(job.getString("status")) && System.nanoTime() < deadline);
        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getInteger("replayed")).isEqualTo(5);
        Fixtures.awaitRow(second, r -> ((Long) r.get("n")) == 5,
            "SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'success'");
        List<String> delivered = receiver.hits(h -> h.json() != null).stream()
            .skip(5).map(Receiver.Hit::id).distinct().toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(deadLetters);
      } finally {
        second.close();
      }
    }
  }
}
