package dev.agentphone.messaging;

import io.vertx.core.Future;

/**
 * Whether an account may send an SMS to a number now (the A2P 10DLC rule for US numbers). The
 * registration domain answers it; messaging only asks, so that it needs none of registration's
 * own dependencies (accounts, and through them calls, which use messaging).
 */
@FunctionalInterface
public interface SmsPermission {
  /** Succeeds when the SMS may go; fails with the 403 that says how to get permission. */
  Future<Void> check(String accountId, String toNumber);
}
