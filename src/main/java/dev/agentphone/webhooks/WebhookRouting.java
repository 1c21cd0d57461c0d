package dev.agentphone.webhooks;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;

/**
 * Which webhook receives an account's event: the agent's own, else the account's; for a
 * sub-account with neither, its parent's account webhook, so one receiver can serve a parent and
 * all its sub-accounts (every event names its {@code accountId}). A parent's agent webhooks are
 * for the parent's agents only.
 */
final class WebhookRouting {
  /** The webhook row and the account that owns it (whose delivery log the delivery is in). */
  record Routed(String ownerAccountId, Row webhook) {
  }

  private final ParentAccounts parents;

  WebhookRouting(ParentAccounts parents) {
    this.parents = parents;
  }

  /** The webhook for {@code accountId}'s event about {@code agentId} (may be null), or null. */
  Future<Routed> route(SqlClient db, String accountId, String agentId) {
    return WebhookStore.target(db, accountId, agentId).compose(own -> {
      if (own != null) {
        return Future.succeededFuture(new Routed(accountId, own));
      }
      return parents.parentOf(accountId).compose(parent -> parent == null
          ? Future.succeededFuture(null)
          : WebhookStore.target(db, parent, null)
              .map(shared -> shared == null ? null : new Routed(parent, shared)));
    });
  }
}
