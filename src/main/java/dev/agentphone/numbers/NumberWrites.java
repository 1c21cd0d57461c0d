package dev.agentphone.numbers;

import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * The numbers domain's transactional API: writes to {@code phone_numbers} that join the caller's
 * transaction (signup creates the starter number with the account, in one transaction). After
 * the caller's commit, announce the change with {@link NumbersApi#announce}.
 */
public final class NumberWrites {
  private NumberWrites() {
  }

  /** A stored number row's identity as returned to callers. */
  public record Inserted(String id, String phoneNumber) {
  }

  /** Stores an active number in {@code tx}. */
  public static Future<Inserted> insert(SqlClient tx, String accountId, String agentId,
      String phoneNumber, String country, String type, String provider, String providerSid) {
    String id = Ids.next("num");
    return tx.preparedQuery("INSERT INTO phone_numbers (id, account_id, agent_id, phone_number, "
            + "country, type, status, provider, provider_sid) "
            + "VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $8)")
        .execute(Tuple.of(id, accountId, agentId, phoneNumber, country, type, provider,
            providerSid))
        .map(r -> new Inserted(id, phoneNumber));
  }

  /**
   * Holds the account's purchases until the end of {@code tx} (they take turns on the same lock)
   * and answers how many numbers it has: active ones and purchases in progress. Closing an
   * account uses it: with none, no purchase can complete before the caller commits, and a
   * purchase waiting on the lock reads the account's state after that commit.
   */
  public static Future<Long> holdPurchases(SqlClient tx, String accountId) {
    return tx.preparedQuery(NumberReservations.LOCK).execute(Tuple.of(accountId))
        .compose(locked -> tx.preparedQuery("SELECT (" + NumberStore.ACTIVE_COUNT + ") + "
                + "(SELECT count(*) FROM number_reservations WHERE account_id = $1 "
                + "AND expires_at >= now())")
            .execute(Tuple.of(accountId)))
        .map(rows -> rows.iterator().next().getLong(0));
  }
}
