package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/**
 * A lease in the database on work that one node of a cluster does at a time. The holder renews it
 * before each round of work; when the holder dies the lease expires and the next node to ask gets
 * it. Nothing is held open between rounds (no connection, no transaction), so a round may call
 * providers over the network.
 */
public final class ClusterLease {
  private final Pool pool;
  private final String name;
  private final String holder = UUID.randomUUID().toString();
  private final long ttlMillis;

  public ClusterLease(Pool pool, String name, long ttlMillis) {
    this.pool = pool;
    this.name = name;
    this.ttlMillis = ttlMillis;
  }

  /** Takes or renews the lease; true when this node holds it for the next {@code ttlMillis}. */
  public Future<Boolean> acquire() {
    return pool.preparedQuery("INSERT INTO engine_leases AS l (name, holder, expires_at) "
            + "VALUES ($1, $2, now() + $3 * interval '1 millisecond') "
            + "ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "
            + "expires_at = EXCLUDED.expires_at "
            + "WHERE l.holder = EXCLUDED.holder OR l.expires_at < now() RETURNING holder")
        .execute(Tuple.of(name, holder, ttlMillis))
        .map(rows -> rows.size() > 0);
  }

  /** Gives the lease up at once (a clean stop), so another node need not wait for it to expire. */
  public Future<Void> release() {
    return pool.preparedQuery("DELETE FROM engine_leases WHERE name = $1 AND holder = $2")
        .execute(Tuple.of(name, holder))
        .mapEmpty();
  }
}
