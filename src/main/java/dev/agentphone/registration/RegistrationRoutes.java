package dev.agentphone.registration;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

/** {@code /v1/register}: the request is checked here, at the edge (422 per field). */
final class RegistrationRoutes implements Routes {
  private final RegistrationApi registration;

  RegistrationRoutes(RegistrationApi registration) {
    this.registration = registration;
  }

  @Override
  public void mountApi(Router api) {
    api.post("/register").handler(Responses.guarded(ctx -> Responses.answer(ctx,
        registration.register(Caller.accountOf(ctx), RegistrationRequest.read(
            Validator.body(ctx))))));

    api.get("/register/status").handler(ctx -> Responses.answer(ctx,
        registration.status(Caller.accountOf(ctx))));
  }
}
