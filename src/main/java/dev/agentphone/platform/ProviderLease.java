package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.function.Supplier;

/**
 * A named lease in the database ({@code provider_leases}), held while a provider call runs so
 * that no transaction (and no pooled connection) has to stay open across it. Taking it is one
 * statement that succeeds only when the name is free or its lease has expired; a holder that
 * dies simply lets it expire.
 */
public final class ProviderLease {
  private static final long RETRY_MILLIS = 100;
  private final String name;
  private final String token;

  private ProviderLease(String name, String token) {
    this.name = name;
    this.token = token;
  }

  /**
   * The lease on {@code name} for {@code seconds}, or null when someone else holds it. Taken
   * through a transaction, it is held once that commits.
   */
  public static Future<ProviderLease> tryTake(SqlClient client, String name, long seconds) {
    String token = Ids.next("lease");
    return client.preparedQuery("INSERT INTO provider_leases (name, token, expires_at) "
            + "VALUES ($1, $2, now() + make_interval(secs => $3)) ON CONFLICT (name) DO UPDATE "
            + "SET token = EXCLUDED.token, expires_at = EXCLUDED.expires_at "
            + "WHERE provider_leases.expires_at < now() RETURNING token")
        .execute(Tuple.of(name, token, (double) seconds))
        .map(rows -> rows.size() == 1 ? new ProviderLease(name, token) : null);
  }

  /**
   * Runs {@code work} holding the lease on {@code name}, giving it back however the work ends.
   * A lease someone else holds is waited for, trying again every {@value #RETRY_MILLIS} ms for up
   * to {@code patienceMillis}; then this fails with {@code busy}.
   */
  public static <T> Future<T> holdingWhenFree(Vertx vertx, SqlClient client, String name,
      long seconds, long patienceMillis, Supplier<ApiError> busy, Supplier<Future<T>> work) {
    long deadline = System.currentTimeMillis() + patienceMillis;
    return tryTake(client, name, seconds).compose(lease -> {
      if (lease != null) {
        return lease.around(client, work);
      }
      if (System.currentTimeMillis() >= deadline) {
        return Future.failedFuture(busy.get());
      }
      Promise<T> later = Promise.promise();
      vertx.setTimer(RETRY_MILLIS, t -> holdingWhenFree(vertx, client, name, seconds,
          deadline - System.currentTimeMillis(), busy, work).onComplete(later));
      return later.future();
    });
  }

  private <T> Future<T> around(SqlClient client, Supplier<Future<T>> work) {
    Future<T> done;
    try {
      done = work.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.transform(result -> release(client).transform(released -> result.succeeded()
        ? Future.succeededFuture(result.result()) : Future.failedFuture(result.cause())));
  }

  /**
   * Gives the lease back (never fails: a lease not given back expires); through a transaction,
   * once that commits.
   */
  public Future<Void> release(SqlClient client) {
    return client.preparedQuery("DELETE FROM provider_leases WHERE name = $1 AND token = $2")
        .execute(Tuple.of(name, token))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }
}
