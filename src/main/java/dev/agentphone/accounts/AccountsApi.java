package dev.agentphone.accounts;

import dev.agentphone.http.Caller;
import dev.agentphone.http.KeyLookup;
import dev.agentphone.platform.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The accounts domain's published API over the event bus: who an API key belongs to (the HTTP
 * edge's {@link KeyLookup}), and signup.
 */
public final class AccountsApi implements KeyLookup {
  static final String AUTHENTICATE = "accounts.authenticate";
  static final String KEY_USED = "accounts.key-used";
  static final String SIGN_UP = "accounts.sign-up";
  static final String VERIFY = "accounts.verify";

  private final Vertx vertx;

  public AccountsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Caller> find(String keyHash) {
    return Bus.<JsonObject>request(vertx, AUTHENTICATE, new JsonObject().put("keyHash", keyHash))
        .map(key -> new Caller(key.getString("accountId"), key.getString("keyId")));
  }

  @Override
  public void used(String keyId) {
    vertx.eventBus().send(KEY_USED, new JsonObject().put("keyId", keyId));
  }

  /** Emails a verification code: {@code {verification_id, human_email, expires_at, message}}. */
  public Future<JsonObject> signUp(String email, String agentName) {
    return Bus.request(vertx, SIGN_UP, new JsonObject().put("email", email)
        .put("agentName", agentName));
  }

  /**
   * Checks the code and creates the account with its starter agent, number and API key:
   * {@code {account_id, agent_id, number_id, phone_number, api_key}}.
   */
  public Future<JsonObject> verify(String verificationId, String otpCode) {
    return Bus.request(vertx, VERIFY, new JsonObject().put("verificationId", verificationId)
        .put("otpCode", otpCode));
  }
}
