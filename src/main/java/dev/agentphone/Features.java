package dev.agentphone;

import dev.agentphone.accounts.AccountsVerticle;
import dev.agentphone.accounts.SignupRoutes;
import dev.agentphone.agents.AgentRoutes;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.calls.CallRoutes;
import dev.agentphone.calls.CallsVerticle;
import dev.agentphone.http.Routes;
import dev.agentphone.providers.sandbox.SandboxCallRoutes;
import dev.agentphone.providers.sandbox.SandboxCallSimulator;
import dev.agentphone.providers.sandbox.SandboxRetellRoutes;
import dev.agentphone.ops.OpsRoutes;
import dev.agentphone.providers.email.SandboxEmailRoutes;
import dev.agentphone.webhooks.WebhookRoutes;
import dev.agentphone.webhooks.WebhooksVerticle;
import io.vertx.core.VerticleBase;

import java.util.List;
import java.util.function.Function;

/** The engine's features: one domain verticle and one set of routes each, listed in one place. */
public final class Features {
  private Features() {
  }

  static List<Function<Engine, VerticleBase>> domainVerticles() {
    return List.of(
        AccountsVerticle::new,
        AgentsVerticle::new,
        WebhooksVerticle::new,
        CallsVerticle::new,
        SandboxCallSimulator::new);
  }

  /** Route order matters where paths overlap: fixed paths before parameterised ones. */
  public static List<Routes> routes() {
    return List.of(
        new OpsRoutes(),
        new SignupRoutes(),
        new SandboxEmailRoutes(),
        new AgentRoutes(),
        new WebhookRoutes(),
        new SandboxRetellRoutes(),
        new SandboxCallRoutes(),
        new CallRoutes());
  }
}
