package dev.agentphone.platform;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.ConnectException;
import java.util.Set;

/**
 * Failures that mean the database cannot serve us right now (it refuses or drops connections, is
 * shutting down or starting up, the pool gave up waiting for a connection, or it broke a deadlock),
 * not that the request was wrong or the engine is broken. They answer 503 with
 * {@code Retry-After}: the same request is expected to work once the database is back, which the
 * pool notices by itself (it opens new connections on demand).
 */
public final class Outages {
  /** What 503 answers tell clients to wait before trying again. */
  public static final int RETRY_AFTER_SECONDS = 5;

  /** The pool's (singleton, stack-less) failure when no connection came within its wait time. */
  private static final String POOL_WAIT = "Timeout waiting for connection";
  /**
   * SQLSTATEs that pass: class 08 (connection exceptions) is matched by prefix; then shutdown,
   * crash, start-up, too many connections, serialization failure and deadlock.
   */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "40001", "40P01");

  private Outages() {
  }

  /** True when the failure, or one of its causes, is the database being unreachable or busy. */
  public static boolean isDatabaseUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PgException pg) {
        String state = pg.getSqlState();
        return state != null && (state.startsWith("08") || TRANSIENT_STATES.contains(state));
      }
      // refused or timed out connecting, or closed under a query: the pool's view of an outage
      if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
        return true;
      }
      if (t.getClass() == VertxException.class && POOL_WAIT.equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** The answer for a request the database could not serve. */
  public static ApiError databaseUnavailable() {
    return new ApiError(503, "The database is unavailable; retry shortly");
  }

  /**
   * How a failure that is not an {@link ApiError} reaches a client: an outage as 503, anything
   * else as null (an internal error, for the caller to log and answer 500).
   */
  public static ApiError asApiError(Throwable failure) {
    return isDatabaseUnavailable(failure) ? databaseUnavailable() : null;
  }
}
