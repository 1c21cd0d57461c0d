package dev.agentphone.accounts;

import dev.agentphone.http.KeyHash;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.EngineSecrets;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.function.Function;

/** Accounts and API keys: key authentication for the HTTP edge, signup and sub-accounts. */
final class AccountsVerticle extends VerticleBase {
  private final Pool pool;
  private final String otpSecret;
  private final Function<OtpCodes, Signup> signup;
  private final SubAccounts subAccounts;

  /** {@code otpSecret}: the configured one, or null for one generated once per installation. */
  AccountsVerticle(Pool pool, String otpSecret, Function<OtpCodes, Signup> signup,
      SubAccounts subAccounts) {
    this.pool = pool;
    this.otpSecret = otpSecret;
    this.signup = signup;
    this.subAccounts = subAccounts;
  }

  @Override
  public Future<?> start() {
    Bus.answer(vertx, AccountsApi.AUTHENTICATE, this::authenticate);
    vertx.eventBus().<JsonObject>localConsumer(AccountsApi.KEY_USED,
        m -> touch(m.body().getString("keyId")));
    Bus.answer(vertx, AccountsApi.SUB_ACCOUNT, subAccounts::resolve);
    Bus.answer(vertx, AccountsApi.PARENT_OF, subAccounts::parentOf);
    Bus.answer(vertx, AccountsApi.CREATE_SUB_ACCOUNT, subAccounts::create);
    Bus.answer(vertx, AccountsApi.LIST_SUB_ACCOUNTS, subAccounts::list);
    Bus.answer(vertx, AccountsApi.RENAME_SUB_ACCOUNT, subAccounts::rename);
    Bus.answer(vertx, AccountsApi.DELETE_SUB_ACCOUNT, subAccounts::delete);
    return otpSecret().onSuccess(secret -> {
      Signup signups = signup.apply(new OtpCodes(secret));
      Bus.answer(vertx, AccountsApi.SIGN_UP, signups::signUp);
      Bus.answer(vertx, AccountsApi.VERIFY, signups::verify);
    });
  }

  /** The configured OTP secret, else one generated once per installation and kept in the database. */
  private Future<String> otpSecret() {
    return otpSecret != null ? Future.succeededFuture(otpSecret)
        : EngineSecrets.generatedOnce(pool, "otp");
  }

  private Future<JsonObject> authenticate(JsonObject request) {
    String hash = request.getString("keyHash");
    return pool.preparedQuery("SELECT id, account_id, key_hash FROM api_keys "
            + "WHERE key_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(hash))
        .map(rows -> {
          Row row = rows.size() == 1 ? rows.iterator().next() : null;
          if (row == null || !KeyHash.same(row.getString("key_hash"), hash)) {
            throw new ApiError(401, "Invalid API key");
          }
          touch(row.getString("id"));
          return new JsonObject().put("accountId", row.getString("account_id"))
              .put("keyId", row.getString("id"));
        });
  }

  private void touch(String keyId) {
    pool.preparedQuery("UPDATE api_keys SET last_used_at = now() WHERE id = $1 "
            + "AND (last_used_at IS NULL OR last_used_at < now() - interval '30 seconds')")
        .execute(Tuple.of(keyId));
  }
}
