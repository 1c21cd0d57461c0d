package dev.agentphone.accounts;

import dev.agentphone.platform.Ids;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/**
 * What accounts are charged, recorded by the domain that charges them in its own transaction
 * ({@code charges} is the accounts domain's table). A one-time fee covers no period: it starts and
 * ends when it is charged.
 */
public final class Charges {
  private Charges() {
  }

  /** Records a one-time charge of {@code amountCents} (USD) on {@code accountId}, joining {@code tx}. */
  public static Future<String> oneTime(SqlClient tx, String accountId, String description,
      int amountCents) {
    String id = Ids.next("chg");
    return tx.preparedQuery("INSERT INTO charges (id, account_id, description, amount_cents, "
            + "currency, period_start, period_end) VALUES ($1, $2, $3, $4, 'usd', now(), now())")
        .execute(Tuple.of(id, accountId, description, amountCents))
        .map(done -> id);
  }
}
