package dev.agentphone;

import dev.agentphone.accounts.AccountsVerticle;
import dev.agentphone.accounts.SignupRoutes;
import dev.agentphone.agents.AgentRoutes;
import dev.agentphone.agents.AgentsVerticle;
import dev.agentphone.calls.CallReconciler;
import dev.agentphone.calls.CallRoutes;
import dev.agentphone.calls.CallsVerticle;
import dev.agentphone.console.ConsoleRoutes;
import dev.agentphone.contacts.ContactRoutes;
import dev.agentphone.contacts.ContactsVerticle;
import dev.agentphone.conversations.ConversationRoutes;
import dev.agentphone.conversations.ConversationsVerticle;
import dev.agentphone.http.Routes;
import dev.agentphone.messaging.MessageRoutes;
import dev.agentphone.messaging.MessagingVerticle;
import dev.agentphone.numbers.NumberRoutes;
import dev.agentphone.numbers.NumbersVerticle;
import dev.agentphone.ops.HealthVerticle;
import dev.agentphone.ops.OpsRoutes;
import dev.agentphone.platform.EventRelayVerticle;
import dev.agentphone.providers.email.SandboxEmailRoutes;
import dev.agentphone.providers.sandbox.SandboxMessagingRoutes;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import dev.agentphone.providers.sandbox.SandboxCallRoutes;
import dev.agentphone.providers.sandbox.SandboxCallSimulator;
import dev.agentphone.providers.sandbox.SandboxGate;
import dev.agentphone.providers.sandbox.SandboxRetellRoutes;
import dev.agentphone.usage.UsageRoutes;
import dev.agentphone.usage.UsageVerticle;
import dev.agentphone.webhooks.WebhookDispatchVerticle;
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
        NumbersVerticle::new,
        ContactsVerticle::new,
        ConversationsVerticle::new,
        MessagingVerticle::new,
        WebhooksVerticle::new,
        WebhookDispatchVerticle::new,
        EventRelayVerticle::new,
        CallsVerticle::new,
        CallReconciler::new,
        SandboxCallSimulator::new,
        UsageVerticle::new,
        HealthVerticle::new);
  }

  /**
   * Route order matters where paths overlap: the sandbox gate before everything it guards, fixed
   * paths before parameterised ones.
   */
  public static List<Routes> routes() {
    return List.of(
        new SandboxGate(),
        new OpsRoutes(),
        new SignupRoutes(),
        new SandboxEmailRoutes(),
        new AgentRoutes(),
        new NumberRoutes(),
        new ContactRoutes(),
        new ConversationRoutes(),
        new MessageRoutes(),
        new WebhookRoutes(),
        new TwilioWebhookRoutes(),
        new SandboxMessagingRoutes(),
        new SandboxRetellRoutes(),
        new SandboxCallRoutes(),
        new CallRoutes(),
        new UsageRoutes(),
        new ConsoleRoutes());
  }
}
