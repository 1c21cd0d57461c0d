package dev.agentphone.accounts;

import dev.agentphone.http.KeyLookup;
import dev.agentphone.platform.Bus;
import dev.agentphone.webhooks.ParentAccounts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The accounts domain's published API over the event bus: who an API key belongs to and which
 * sub-account a request may act for (the HTTP edge's {@link KeyLookup}), signup, sub-accounts,
 * and whose sub-account an account is (the webhooks domain's {@link ParentAccounts}).
 */
public final class AccountsApi implements KeyLookup, ParentAccounts {
  static final String AUTHENTICATE = "accounts.authenticate";
  static final String SUB_ACCOUNT = "accounts.sub-account";
  static final String PARENT_OF = "accounts.parent-of";
  static final String CREATE_SUB_ACCOUNT = "accounts.create-sub-account";
  static final String LIST_SUB_ACCOUNTS = "accounts.list-sub-accounts";
  static final String RENAME_SUB_ACCOUNT = "accounts.rename-sub-account";
  static final String DELETE_SUB_ACCOUNT = "accounts.delete-sub-account";
  static final String KEY_USED = "accounts.key-used";
  static final String LIST_KEYS = "accounts.list-keys";
  static final String CREATE_KEY = "accounts.create-key";
  static final String REVOKE_KEY = "accounts.revoke-key";
  static final String SIGN_UP = "accounts.sign-up";
  static final String VERIFY = "accounts.verify";

  private final Vertx vertx;

  public AccountsApi(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Key> find(String keyHash) {
    return Bus.<JsonObject>request(vertx, AUTHENTICATE, new JsonObject().put("keyHash", keyHash))
        .map(ApiKeyStore::key);
  }

  @Override
  public void used(String keyId) {
    vertx.eventBus().send(KEY_USED, new JsonObject().put("keyId", keyId));
  }

  @Override
  public Future<String> subAccount(String accountId, String subAccountId) {
    return Bus.request(vertx, SUB_ACCOUNT, Bus.scope(accountId).put("subAccountId", subAccountId));
  }

  @Override
  public Future<String> parentOf(String accountId) {
    return Bus.request(vertx, PARENT_OF, Bus.scope(accountId));
  }

  /**
   * Creates a sub-account of {@code parentAccountId} named {@code name} (stripped, 1 to 100
   * characters, else a 422 naming {@code name}): {@code {id, name, parentAccountId, createdAt,
   * updatedAt}}. 403 when the parent is itself a sub-account.
   */
  public Future<JsonObject> createSubAccount(String parentAccountId, String name) {
    return Bus.request(vertx, CREATE_SUB_ACCOUNT, Bus.scope(parentAccountId).put("name", name));
  }

  /** The account's sub-accounts, newest first: {@code {data, hasMore, total}}. */
  public Future<JsonObject> listSubAccounts(String accountId, int limit, int offset) {
    return Bus.request(vertx, LIST_SUB_ACCOUNTS, Bus.scope(accountId).put("limit", limit)
        .put("offset", offset));
  }

  /** Renames one of the account's sub-accounts; 404 for any other id. */
  public Future<JsonObject> renameSubAccount(String accountId, String subAccountId, String name) {
    return Bus.request(vertx, RENAME_SUB_ACCOUNT, Bus.scope(accountId)
        .put("subAccountId", subAccountId).put("name", name));
  }

  /**
   * Deletes one of the account's sub-accounts: {@code {success: true, id}}; 409 while it still
   * has phone numbers or live calls, 404 for any other id.
   */
  public Future<JsonObject> deleteSubAccount(String accountId, String subAccountId) {
    return Bus.request(vertx, DELETE_SUB_ACCOUNT, Bus.scope(accountId)
        .put("subAccountId", subAccountId));
  }

  /** The account's unrevoked API keys, newest first, never their secrets: {@code {data, hasMore, total}}. */
  public Future<JsonObject> listKeys(String accountId, int limit, int offset) {
    return Bus.request(vertx, LIST_KEYS, Bus.scope(accountId).put("limit", limit)
        .put("offset", offset));
  }

  /**
   * A new key of the (main) account: {@code {id, name, prefix, scope, createdAt, expiresAt,
   * lastUsedAt, key}}, the secret {@code key} shown only here. {@code scope} is {@code full} or
   * {@code read-only}, {@code expiresAt} an ISO timestamp or null. 403 for a sub-account.
   */
  public Future<JsonObject> createKey(String accountId, String name, String scope,
      String expiresAt) {
    return Bus.request(vertx, CREATE_KEY, Bus.scope(accountId).put("name", name)
        .put("scope", scope).put("expiresAt", expiresAt));
  }

  /**
   * Revokes one of the account's keys on every node at once: {@code {success: true, id}}; 404
   * for any other id, 409 for the account's last full key that has not expired.
   */
  public Future<JsonObject> revokeKey(String accountId, String keyId) {
    return Bus.request(vertx, REVOKE_KEY, Bus.scope(accountId).put("keyId", keyId));
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
