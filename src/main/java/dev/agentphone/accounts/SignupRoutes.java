package dev.agentphone.accounts;

import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.platform.Routes;
import io.vertx.ext.web.Router;

import java.util.regex.Pattern;

/** {@code /v0/agent/sign-up} and {@code /v0/agent/verify}: no key, since they hand one out. */
final class SignupRoutes implements Routes {
  private static final Pattern EMAIL = Pattern.compile(
      "^[^@\\s\\p{Cntrl}]+@[^@\\s\\p{Cntrl}]+\\.[^@\\s\\p{Cntrl}]+$");
  private static final Pattern CODE = Pattern.compile("^\\d{6}$");

  private final AccountsApi accounts;

  SignupRoutes(AccountsApi accounts) {
    this.accounts = accounts;
  }

  @Override
  public void mountPublic(Router root) {
    root.post("/v0/agent/sign-up").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String email = body.requiredString("human_email");
      String agentName = body.optionalString("agent_name");
      if (email != null && !EMAIL.matcher(email.strip()).matches()) {
        body.reject("human_email", "value_error",
            "value is not a valid email address: An email address must have an @-sign and a domain.");
      }
      if (agentName != null && (agentName.isBlank() || agentName.length() > 200)) {
        body.reject("agent_name", "value_error", "Agent name must be 1 to 200 characters");
      }
      body.check();
      Responses.answer(ctx, accounts.signUp(email.strip().toLowerCase(),
          agentName == null ? null : agentName.strip()));
    }));

    root.post("/v0/agent/verify").handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String verificationId = body.requiredString("verification_id");
      String code = body.requiredString("otp_code");
      if (code != null && !CODE.matcher(code.strip()).matches()) {
        body.reject("otp_code", "value_error", "The code is 6 digits");
      }
      body.check();
      Responses.answer(ctx, accounts.verify(verificationId, code.strip()));
    }));
  }
}
