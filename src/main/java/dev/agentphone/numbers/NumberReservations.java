package dev.agentphone.numbers;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Ids;
import dev.agentphone.usage.Plans;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The numbers limit, enforced before any provider sells a number: a purchase first reserves one
 * of its account's slots ({@code number_reservations}), counted together with the active numbers
 * under the account's purchase lock, and only then asks the provider. The slot becomes the
 * number, or is given back when the purchase fails. A reservation whose holder died expires after
 * {@code numbers.reservationSeconds} and stops counting; the account's next purchase sweeps it.
 */
final class NumberReservations {
  /**
   * Purchases of one account take turns on this (a transaction-scoped advisory lock: a row lock on
   * the account would also block every insert referencing it and can deadlock with them).
   */
  static final String LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('numbers:' || $1, 0))";

  private final Pool pool;
  private final Plans plans;
  private final long seconds;

  NumberReservations(Pool pool, Plans plans, long seconds) {
    this.pool = pool;
    this.plans = plans;
    this.seconds = seconds;
  }

  /** A slot reserved for {@code accountId}'s purchase (its id), or 403 at the limit. */
  Future<String> reserve(String accountId) {
    String id = Ids.next("nres");
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(accountId))
        .compose(locked -> tx.preparedQuery("DELETE FROM number_reservations "
                + "WHERE account_id = $1 AND expires_at < now()")
            .execute(Tuple.of(accountId)))
        .compose(swept -> checkLimit(tx, accountId))
        .compose(room -> tx.preparedQuery("INSERT INTO number_reservations (id, account_id, "
                + "expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))")
            .execute(Tuple.of(id, accountId, (double) seconds)))
        .map(inserted -> id));
  }

  /**
   * Inside the transaction storing the purchased number (holding {@link #LOCK}): turns the
   * reservation into that number. A reservation that expired meanwhile (a very slow provider)
   * may have let another purchase take its slot, so the limit is checked again then.
   */
  Future<Void> redeem(SqlClient tx, String accountId, String reservationId) {
    return tx.preparedQuery("DELETE FROM number_reservations WHERE id = $1 AND expires_at >= now()")
        .execute(Tuple.of(reservationId))
        .compose(deleted -> deleted.rowCount() == 1 ? Future.<Void>succeededFuture()
            : tx.preparedQuery("DELETE FROM number_reservations WHERE id = $1")
                .execute(Tuple.of(reservationId))
                .compose(r -> checkLimit(tx, accountId)));
  }

  /** Gives the slot back after a failed purchase (never fails: an unreleased one expires). */
  Future<Void> release(String reservationId) {
    return pool.preparedQuery("DELETE FROM number_reservations WHERE id = $1")
        .execute(Tuple.of(reservationId))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /**
   * Refuses when active numbers plus live reservations reach the plan's limit; released numbers
   * no longer count (GET /v1/usage reports the active ones as {@code numbers.used}).
   */
  private Future<Void> checkLimit(SqlClient client, String accountId) {
    return plans.ofAccount(client, accountId).compose(limits -> client.preparedQuery("SELECT ("
            + NumberStore.ACTIVE_COUNT + ") AS numbers, (SELECT count(*) FROM "
            + "number_reservations r WHERE r.account_id = $1 AND r.expires_at >= now()) AS reserved")
        .execute(Tuple.of(accountId))
        .compose(rows -> {
          Row row = rows.iterator().next();
          int limit = limits.numbers();
          if (row.getLong("numbers") + row.getLong("reserved") >= limit) {
            return Future.failedFuture(new ApiError(403, "Number limit reached: the "
                + limits.plan()
                + " plan allows " + limit + " active phone numbers per account (numbers limit; "
                + "purchases in progress count too); release one to buy another"));
          }
          return Future.<Void>succeededFuture();
        }));
  }
}
