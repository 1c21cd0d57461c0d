package dev.agentphone.registration;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;

/**
 * {@code POST /sandbox/registration} (sandbox mode, loopback only, the account's own key;
 * {@code X-Sub-Account-Id} picks a sub-account): the sandbox's carriers decide the account's
 * pending registration now instead of at the end of its schedule. Body {@code {decision: approve
 * | reject, reason?}}; the answer is the new status. 404 when nothing is pending in the sandbox.
 */
final class SandboxRegistrationRoutes implements Routes {
  private final Handler<RoutingContext> auth;
  private final RegistrationApi registration;

  SandboxRegistrationRoutes(Handler<RoutingContext> auth, RegistrationApi registration) {
    this.auth = auth;
    this.registration = registration;
  }

  @Override
  public void mountPublic(Router root) {
    root.post("/sandbox/registration").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String decision = body.requiredEnum("decision", List.of("approve", "reject"));
      String reason = body.optionalString("reason");
      body.check();
      boolean approve = "approve".equals(decision);
      Responses.answer(ctx, registration.sandboxDecide(Caller.accountOf(ctx), approve,
          approve ? null : reason == null || reason.isBlank()
              ? "the sandbox's carriers rejected it" : reason.strip()));
    }));
  }
}
