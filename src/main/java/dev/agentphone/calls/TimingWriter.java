package dev.agentphone.calls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes the turn timings of every live call on this node ({@code call_turn_timings}) in
 * batches: one statement for what arrived within a short window, one statement in flight at a
 * time, so the rows land in the order they were handed over. A timing is written after its turn
 * has been answered and stored, never on a turn's path; one insert and commit per turn was the
 * largest part of PostgreSQL's work for a voice turn. A batch that fails is written again one
 * row at a time, so that one bad row cannot lose the others; a row that still fails is logged.
 */
final class TimingWriter {
  private static final Logger LOG = LoggerFactory.getLogger(TimingWriter.class);
  /** How long the first timing of a batch waits for others to join it. */
  static final long WINDOW_MILLIS = 20;
  static final int MAX_BATCH = 512;
  private static final String INSERT = "INSERT INTO call_turn_timings (call_id, response_id, "
      + "mode, outcome, received_at, engine_ms, webhook_ms, spans) "
      + "SELECT k, r, m, o, a, e, w, s::jsonb FROM unnest($1::text[], $2::int[], $3::text[], "
      + "$4::text[], $5::timestamptz[], $6::float8[], $7::float8[], $8::text[]) "
      + "WITH ORDINALITY AS t(k, r, m, o, a, e, w, s, n) ORDER BY n";

  /** One turn's row. */
  record Timing(String callId, int responseId, String mode, String outcome,
      long receivedAtMillis, Double engineMs, Double webhookMs, String spans) {
  }

  private final Vertx vertx;
  private final Pool pool;
  private final Queue<Timing> waiting = new ConcurrentLinkedQueue<>();
  /** A flush is scheduled or a batch is on its way. */
  private final AtomicBoolean busy = new AtomicBoolean();

  TimingWriter(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  void add(Timing timing) {
    waiting.add(timing);
    if (busy.compareAndSet(false, true)) {
      vertx.setTimer(WINDOW_MILLIS, t -> flush());
    }
  }

  private void flush() {
    List<Timing> batch = new ArrayList<>();
    Timing next;
    while (batch.size() < MAX_BATCH && (next = waiting.poll()) != null) {
      batch.add(next);
    }
    Future<Void> written = batch.isEmpty() ? Future.succeededFuture()
        : insert(batch).recover(e -> oneByOne(batch));
    written.onComplete(done -> {
      if (!waiting.isEmpty()) {
        vertx.setTimer(WINDOW_MILLIS, t -> flush());
        return;
      }
      busy.set(false);
      // a timing added after the check above found the writer still busy
      if (!waiting.isEmpty() && busy.compareAndSet(false, true)) {
        vertx.setTimer(WINDOW_MILLIS, t -> flush());
      }
    });
  }

  private Future<Void> oneByOne(List<Timing> batch) {
    Future<Void> chain = Future.succeededFuture();
    for (Timing timing : batch) {
      chain = chain.compose(v -> insert(List.of(timing)).recover(e -> {
        LOG.warn("could not record the timing of turn {} of call {}: {}", timing.responseId(),
            timing.callId(), e.getMessage());
        return Future.succeededFuture();
      }));
    }
    return chain;
  }

  private Future<Void> insert(List<Timing> batch) {
    int n = batch.size();
    String[] calls = new String[n];
    Integer[] responses = new Integer[n];
    String[] modes = new String[n];
    String[] outcomes = new String[n];
    OffsetDateTime[] received = new OffsetDateTime[n];
    Double[] engine = new Double[n];
    Double[] webhook = new Double[n];
    String[] spans = new String[n];
    for (int i = 0; i < n; i++) {
      Timing t = batch.get(i);
      calls[i] = t.callId();
      responses[i] = t.responseId();
      modes[i] = t.mode();
      outcomes[i] = t.outcome();
      received[i] = OffsetDateTime.ofInstant(Instant.ofEpochMilli(t.receivedAtMillis()),
          ZoneOffset.UTC);
      engine[i] = t.engineMs();
      webhook[i] = t.webhookMs();
      spans[i] = t.spans();
    }
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(calls, responses, modes, outcomes, received, engine, webhook)
            .addValue(spans))
        .mapEmpty();
  }
}
