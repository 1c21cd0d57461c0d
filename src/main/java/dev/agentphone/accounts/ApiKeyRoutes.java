package dev.agentphone.accounts;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import dev.agentphone.platform.Times;
import io.vertx.ext.web.Router;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code /v1/api-keys}: the account's keys. Acting as a sub-account ({@code X-Sub-Account-Id})
 * these are the sub-account's own, which it cannot have, as with {@code /v1/sub-accounts}: the
 * list is empty, a create is 403 and any id is 404.
 */
final class ApiKeyRoutes implements Routes {
  static final int MAX_NAME = 100;
  /** How far ahead a key may expire: a key meant to last longer should have no expiry. */
  static final int MAX_EXPIRY_DAYS = 730;

  private final AccountsApi accounts;

  ApiKeyRoutes(AccountsApi accounts) {
    this.accounts = accounts;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/api-keys").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 500);
      int offset = query.queryInt("offset", 0, 0, null);
      query.check();
      Responses.answer(ctx, accounts.listKeys(Caller.accountOf(ctx), limit, offset));
    }));

    api.post("/api-keys").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String name = body.requiredName("name", MAX_NAME);
      String scope = body.optionalEnum("scope",
          List.of(ApiKeyStore.READ_ONLY, ApiKeyStore.FULL));
      String expiresAt = expiresAt(body);
      body.check();
      Responses.answer(ctx, accounts.createKey(Caller.accountOf(ctx), name,
          scope == null ? ApiKeyStore.FULL : scope, expiresAt), 201);
    }));

    api.delete("/api-keys/:key_id").handler(ctx -> Responses.answer(ctx,
        accounts.revokeKey(Caller.accountOf(ctx), ctx.pathParam("key_id"))));
  }

  /** The optional expiry: an ISO timestamp in the future, at most two years ahead. */
  private static String expiresAt(Validator body) {
    String text = body.optionalString("expiresAt");
    if (text == null) {
      return null;
    }
    OffsetDateTime at = Times.parse(text);
    OffsetDateTime now = Times.now();
    if (at == null) {
      body.reject("expiresAt", "datetime_parsing", "Input should be a valid datetime");
    } else if (!at.isAfter(now)) {
      body.reject("expiresAt", "datetime_future", "Input should be in the future");
    } else if (at.isAfter(now.plusDays(MAX_EXPIRY_DAYS))) {
      body.reject("expiresAt", "datetime_too_late",
          "Input should be at most " + MAX_EXPIRY_DAYS + " days ahead");
    } else {
      return Times.format(at);
    }
    return null;
  }
}
