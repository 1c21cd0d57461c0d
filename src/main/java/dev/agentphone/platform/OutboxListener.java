package dev.agentphone.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dedicated PostgreSQL connection that LISTENs on {@link Outbox#CHANNEL}, so a committed event
 * is picked up within milliseconds instead of at the next poll. It reconnects when the
 * connection drops; the poll covers the gap.
 */
public final class OutboxListener {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxListener.class);

  private final Vertx vertx;
  private final String databaseUrl;
  private final Runnable onEvent;
  private PgConnection connection;
  private boolean stopped;

  public OutboxListener(Vertx vertx, String databaseUrl, Runnable onEvent) {
    this.vertx = vertx;
    this.databaseUrl = databaseUrl;
    this.onEvent = onEvent;
  }

  public Future<Void> start() {
    return PgConnection.connect(vertx, Database.connectOptions(databaseUrl)
            .setPipeliningLimit(1))
        .compose(conn -> {
          if (stopped) {
            return conn.close();
          }
          connection = conn;
          conn.notificationHandler(notification -> onEvent.run());
          conn.closeHandler(v -> {
            connection = null;
            if (!stopped) {
              LOG.warn("event listener connection closed; reconnecting");
              reconnectLater();
            }
          });
          return conn.query("LISTEN " + Outbox.CHANNEL).execute().mapEmpty();
        });
  }

  private void reconnectLater() {
    vertx.setTimer(1_000, t -> {
      if (!stopped) {
        start().onSuccess(v -> onEvent.run()).onFailure(e -> reconnectLater());
      }
    });
  }

  public Future<Void> stop() {
    stopped = true;
    PgConnection conn = connection;
    connection = null;
    return conn == null ? Future.succeededFuture() : conn.close();
  }
}
