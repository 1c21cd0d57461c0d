package dev.agentphone.accounts;

import dev.agentphone.platform.Bus;
import dev.agentphone.platform.EngineSecrets;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;

import java.util.function.Function;

/** Accounts and API keys: key authentication for the HTTP edge, signup and sub-accounts. */
final class AccountsVerticle extends VerticleBase {
  private final Pool pool;
  private final String otpSecret;
  private final Function<OtpCodes, Signup> signup;
  private final SubAccounts subAccounts;
  private ApiKeyStore keys;

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
    keys = new ApiKeyStore(vertx, pool);
    Bus.answer(vertx, AccountsApi.AUTHENTICATE, keys::authenticate);
    vertx.eventBus().<JsonObject>localConsumer(AccountsApi.KEY_USED,
        m -> keys.touch(m.body().getString("keyId")));
    Bus.answer(vertx, AccountsApi.LIST_KEYS, keys::list);
    Bus.answer(vertx, AccountsApi.CREATE_KEY, keys::create);
    Bus.answer(vertx, AccountsApi.REVOKE_KEY, keys::revoke);
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
}
