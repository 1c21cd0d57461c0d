package dev.agentphone.accounts;

import dev.agentphone.agents.AgentWrites;
import dev.agentphone.calls.CallsApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.email.EmailSender;
import dev.agentphone.providers.telephony.Telephony;
import dev.agentphone.usage.Plans;
import io.vertx.sqlclient.Pool;

/** Accounts and API keys: their verticle, the signup, sub-account and API-key routes. */
public final class AccountsFeature extends Feature {
  public AccountsFeature(Pool pool, AppConfig config, Plans plans, EmailSender email,
      Telephony telephony, AgentWrites agents, NumbersApi numbers, CallsApi calls,
      AccountsApi api) {
    SignupSettings settings = SignupSettings.from(config);
    deploy(new AccountsVerticle(pool, settings.otpSecret(), codes ->
        new Signup(pool, settings, plans, email, telephony, agents, numbers, codes),
        new SubAccounts(pool, calls)));
    mount(new SignupRoutes(api));
    mount(new SubAccountRoutes(api));
    mount(new ApiKeyRoutes(api));
  }
}
