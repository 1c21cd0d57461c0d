package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the outbox's listeners after a transaction that recorded events has committed, instead
 * of a {@code NOTIFY} inside it. PostgreSQL takes its notification lock at a NOTIFY's commit and
 * holds it until that transaction has ended, WAL flush included: transactions that NOTIFY commit
 * one at a time, each with a flush of its own, so the group commits of several lanes could not
 * share one flush. Here each wake-up is a transaction of its own that does not wait for its WAL
 * flush (nothing depends on a wake-up being durable: the listeners' poll picks up what a lost
 * one would have announced), and at most one is in flight: the commits that end while it is
 * share the next.
 *
 * <p>Used on one event loop.
 */
public final class OutboxWakeup {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxWakeup.class);
  /** One statement, so it runs in a transaction of its own that cannot be left open. */
  static final String WAKE = "SELECT set_config('synchronous_commit', 'off', true), "
      + "pg_notify('" + Outbox.CHANNEL + "', '')";

  private final SqlClient pool;
  private boolean sending;
  private boolean again;

  public OutboxWakeup(SqlClient pool) {
    this.pool = pool;
  }

  /** Wakes the listeners once every transaction committed so far is visible to them. */
  public void wake() {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    again = false;
    Future<?> sent = pool.query(WAKE).execute();
    sent.onComplete(done -> {
      sending = false;
      if (done.failed()) {
        LOG.debug("waking the outbox listeners failed; their poll will find the events",
            done.cause());
      }
      if (again) {
        wake();
      }
    });
  }
}
