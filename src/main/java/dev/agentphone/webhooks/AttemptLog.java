package dev.agentphone.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Records attempts: each one's row in {@code webhook_attempts} with its delivery's new state.
 * The attempts that finish while a write is in flight go together in the next, as one statement
 * over arrays ({@link #RECORD}): one commit, one pass of the usage triggers (V75) and one plan for
 * a burst's attempts instead of one each. If a batch fails, its attempts are recorded one by one,
 * so one that cannot be stored fails alone. A batch holds one attempt per delivery, so that each
 * delivery's attempts are applied in the order they finished.
 *
 * <p>Used on the dispatch verticle's event loop only.
 */
final class AttemptLog {
  static final String RECORD = "WITH input AS (SELECT * FROM unnest($1::text[], $2::int[], "
      + "$3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[], $8::text[], "
      + "$9::bigint[]) AS i (delivery_id, attempt, started_at, duration_ms, http_status, "
      + "error_message, response_body, status, wait_ms)), "
      + "logged AS (INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, "
      + "http_status, error_message, response_body) SELECT delivery_id, attempt, started_at, "
      + "duration_ms, http_status, error_message, response_body FROM input) "
      + "UPDATE webhook_deliveries d SET status = i.status, attempt_count = i.attempt, "
      + "http_status = i.http_status, error_message = i.error_message, "
      + "response_body = i.response_body, last_attempt_at = i.started_at, "
      + "next_attempt_at = now() + i.wait_ms * interval '1 millisecond', "
      + "completed_at = CASE WHEN i.status = 'pending' THEN NULL ELSE now() END "
      // an attempt that outlived its lease must not undo what a later one settled
      + "FROM input i WHERE d.id = i.delivery_id AND d.status = 'pending'";
  /** At most this many attempts in one batch. */
  static final int MAX_BATCH = 256;

  /** One attempt and the delivery's state after it; {@code waitMs} until the next is due. */
  record Attempt(String deliveryId, int attempt, OffsetDateTime startedAt, int durationMs,
      Integer httpStatus, String errorMessage, String responseBody, String status, long waitMs) {
  }

  private record Waiting(Attempt attempt, Promise<Void> recorded) {
  }

  private final Pool pool;
  private final List<Waiting> waiting = new ArrayList<>();
  private boolean writing;

  AttemptLog(Pool pool) {
    this.pool = pool;
  }

  /** Records the attempt; completes once it is committed. */
  Future<Void> record(Attempt attempt) {
    Promise<Void> recorded = Promise.promise();
    waiting.add(new Waiting(attempt, recorded));
    write();
    return recorded.future();
  }

  private void write() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    List<Waiting> batch = nextBatch();
    writing = true;
    execute(batch.stream().map(Waiting::attempt).toList()).onComplete(done -> {
      if (done.succeeded()) {
        batch.forEach(each -> each.recorded().complete());
      } else if (batch.size() == 1) {
        batch.get(0).recorded().fail(done.cause());
      } else {
        batch.forEach(each -> execute(List.of(each.attempt())).onComplete(each.recorded()));
      }
      writing = false;
      write();
    });
  }

  /** The oldest waiting attempts, at most one per delivery (a later one waits for the next). */
  private List<Waiting> nextBatch() {
    List<Waiting> batch = new ArrayList<>();
    Set<String> deliveries = new HashSet<>();
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && batch.size() < MAX_BATCH; ) {
      Waiting each = it.next();
      if (deliveries.add(each.attempt().deliveryId())) {
        batch.add(each);
        it.remove();
      }
    }
    return batch;
  }

  private Future<Void> execute(List<Attempt> attempts) {
    int n = attempts.size();
    String[] ids = new String[n];
    Integer[] numbers = new Integer[n];
    OffsetDateTime[] started = new OffsetDateTime[n];
    Integer[] durations = new Integer[n];
    Integer[] statuses = new Integer[n];
    String[] errors = new String[n];
    String[] bodies = new String[n];
    String[] states = new String[n];
    Long[] waits = new Long[n];
    for (int i = 0; i < n; i++) {
      Attempt a = attempts.get(i);
      ids[i] = a.deliveryId();
      numbers[i] = a.attempt();
      started[i] = a.startedAt();
      durations[i] = a.durationMs();
      statuses[i] = a.httpStatus();
      errors[i] = a.errorMessage();
      bodies[i] = a.responseBody();
      states[i] = a.status();
      waits[i] = a.waitMs();
    }
    return pool.preparedQuery(RECORD)
        .execute(Tuple.of(ids, numbers, started, durations, statuses, errors).addValue(bodies)
            .addValue(states).addValue(waits))
        .mapEmpty();
  }
}
