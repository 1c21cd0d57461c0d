package dev.agentphone.webhooks;

import io.vertx.core.Future;

/**
 * Which account a sub-account belongs to, so a sub-account without a webhook of its own has its
 * events delivered to its parent's account webhook. Declared here, provided by the accounts
 * domain, so webhooks depends on no account logic.
 */
public interface ParentAccounts {
  /** The parent of {@code accountId}, or null for an account that is not a sub-account. */
  Future<String> parentOf(String accountId);
}
