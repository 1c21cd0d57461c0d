package dev.agentphone.accounts;

import dev.agentphone.agents.AgentWrites;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.email.EmailSender;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.usage.Plans;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;

import java.util.List;

/** Accounts and API keys: their verticle and the signup routes. */
public final class AccountsFeature implements Feature {
  private final AccountsVerticle verticle;
  private final AccountsApi api;

  public AccountsFeature(Pool pool, AppConfig config, Plans plans, EmailSender email,
      Telephony telephony, AgentWrites agents, NumbersApi numbers, AccountsApi api) {
    SignupSettings settings = SignupSettings.from(config);
    this.verticle = new AccountsVerticle(pool, settings.otpSecret(), codes ->
        new Signup(pool, settings, plans, email, telephony, agents, numbers, codes));
    this.api = api;
  }

  @Override
  public List<VerticleBase> verticles() {
    return List.of(verticle);
  }

  @Override
  public List<Routes> routes() {
    return List.of(new SignupRoutes(api));
  }
}
