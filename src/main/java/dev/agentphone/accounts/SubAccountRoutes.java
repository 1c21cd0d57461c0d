package dev.agentphone.accounts;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

/**
 * {@code /v1/sub-accounts}: the caller's sub-accounts. Acting as a sub-account
 * ({@code X-Sub-Account-Id}) these are that sub-account's own, which it cannot have: the list is
 * empty, a create is 403 and any id is 404.
 */
final class SubAccountRoutes implements Routes {
  static final int MAX_NAME = 100;

  private final AccountsApi accounts;

  SubAccountRoutes(AccountsApi accounts) {
    this.accounts = accounts;
  }

  @Override
  public void mountApi(Router api) {
    api.get("/sub-accounts").handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 20, 1, 500);
      int offset = query.queryInt("offset", 0, 0, null);
      query.check();
      Responses.answer(ctx, accounts.listSubAccounts(Caller.accountOf(ctx), limit, offset));
    }));

    api.post("/sub-accounts").handler(Responses.guarded(ctx -> {
      String name = name(Validator.body(ctx));
      Responses.answer(ctx, accounts.createSubAccount(Caller.accountOf(ctx), name));
    }));

    api.patch("/sub-accounts/:sub_account_id").handler(Responses.guarded(ctx -> {
      String name = name(Validator.body(ctx));
      Responses.answer(ctx, accounts.renameSubAccount(Caller.accountOf(ctx),
          ctx.pathParam("sub_account_id"), name));
    }));

    api.delete("/sub-accounts/:sub_account_id").handler(ctx -> Responses.answer(ctx,
        accounts.deleteSubAccount(Caller.accountOf(ctx), ctx.pathParam("sub_account_id"))));
  }

  /** The required {@code name}, 1 to 100 characters once surrounding white space is stripped. */
  private static String name(Validator body) {
    String name = body.requiredName("name", MAX_NAME);
    body.check();
    return name;
  }
}
