package dev.agentphone.webhooks;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Records attempts: each one's row in {@code webhook_attempts} with its delivery's new state,
 * in one statement. The attempts that finish while a write is in flight go together in the next
 * (one pipelined batch, which PostgreSQL runs as one implicit transaction: one commit for a
 * burst's attempts instead of one each). If a batch fails, its attempts are recorded one by one,
 * so one that cannot be stored fails alone.
 *
 * <p>Used on the dispatch verticle's event loop only.
 */
final class AttemptLog {
  static final String RECORD = "WITH attempt AS (INSERT INTO webhook_attempts (delivery_id, "
      + "attempt, started_at, duration_ms, http_status, error_message, response_body) "
      + "VALUES ($1, $2, $3, $4, $5, $6, $7)) "
      + "UPDATE webhook_deliveries SET status = $8, attempt_count = $2, http_status = $5, "
      + "error_message = $6, response_body = $7, last_attempt_at = $3, "
      + "next_attempt_at = now() + $9::bigint * interval '1 millisecond', "
      + "completed_at = CASE WHEN $8 = 'pending' THEN NULL ELSE now() END "
      // an attempt that outlived its lease must not undo what a later one settled
      + "WHERE id = $1 AND status = 'pending'";
  /** At most this many attempts in one batch. */
  static final int MAX_BATCH = 256;

  private record Waiting(Tuple attempt, Promise<Void> recorded) {
  }

  private final Pool pool;
  private final List<Waiting> waiting = new ArrayList<>();
  private boolean writing;

  AttemptLog(Pool pool) {
    this.pool = pool;
  }

  /** Records the attempt ({@link #RECORD}'s parameters); completes once it is committed. */
  Future<Void> record(Tuple attempt) {
    Promise<Void> recorded = Promise.promise();
    waiting.add(new Waiting(attempt, recorded));
    write();
    return recorded.future();
  }

  private void write() {
    if (writing || waiting.isEmpty()) {
      return;
    }
    List<Waiting> batch = new ArrayList<>(waiting.subList(0, Math.min(MAX_BATCH,
        waiting.size())));
    waiting.subList(0, batch.size()).clear();
    writing = true;
    Future<?> written = batch.size() == 1
        ? pool.preparedQuery(RECORD).execute(batch.get(0).attempt())
        : pool.preparedQuery(RECORD).executeBatch(batch.stream().map(Waiting::attempt).toList());
    written.onComplete(done -> {
      if (done.succeeded()) {
        batch.forEach(each -> each.recorded().complete());
      } else if (batch.size() == 1) {
        batch.get(0).recorded().fail(done.cause());
      } else {
        batch.forEach(each -> pool.preparedQuery(RECORD).execute(each.attempt())
            .<Void>mapEmpty().onComplete(each.recorded()));
      }
      writing = false;
      write();
    });
  }
}
