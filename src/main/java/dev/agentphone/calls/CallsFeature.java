package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.messaging.MessagingApi;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.platform.Feature;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.usage.CallBudget;
import dev.agentphone.webhooks.WebhooksApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.function.IntFunction;

/**
 * Voice calls: the calls verticle, the reconciler, the node's registry of live call sessions,
 * {@code /v1/calls} with the calls' recordings, and Retell's webhook and custom-LLM socket.
 */
public final class CallsFeature extends Feature {
  private final CallSessions sessions;

  /** What the calls domain is built from, handed over by the start-up code. */
  public record Parts(Vertx vertx, Pool pool, CallSettings settings, RetellClient retell,
      String retellApiKey, LlmSocketUrls sockets, CallBudget budget, SsrfGuard guard,
      AgentsApi agents, NumbersApi numbers, ContactsApi contacts, WebhooksApi webhooks,
      MessagingApi messaging, CallsApi api) {
  }

  /** {@code alsoUnderLease}: more work for every round of the reconciler (on one node at a time). */
  public CallsFeature(Parts parts, IntFunction<Future<?>> alsoUnderLease) {
    CallSettings settings = parts.settings();
    String publicUrl = settings.recordings().publicUrl();
    CallFinalizer finalizer = new CallFinalizer(parts.vertx(), parts.pool(), parts.contacts());
    CallAdoption adoption = new CallAdoption(parts.pool(), parts.budget(), parts.retell(),
        parts.agents(), parts.numbers(), finalizer);
    ToolRunner runner = new ToolRunner(parts.vertx(), parts.guard(),
        settings.voice().webhookAnswerLimitBytes());
    ToolCalls tools = new ToolCalls(parts.pool(), parts.agents(), adoption, runner,
        new MessagingTools(parts.messaging()));
    this.sessions = new CallSessions(parts.vertx(), new SessionServices(parts.pool(),
            parts.agents(), parts.budget(), finalizer, parts.webhooks(), parts.guard(), tools,
            settings.voice(), new LiveLookups(settings.voice().webhookTargetCacheMillis())),
        settings.sessionHeartbeatMillis(), settings.sessionSocketWaitMillis());
    CallPlacement placement = new CallPlacement(parts.pool(), parts.budget(), parts.retell(),
        parts.agents(), settings.voice().webCallTokenSeconds(), publicUrl);
    CallRecordings recordings = new CallRecordings(parts.pool(),
        new RecordingDownload(parts.vertx(), parts.guard(), settings.recordings()),
        settings.recordings());
    deploy(new CallsVerticle(parts.pool(), sessions, placement, adoption, tools, runner,
        new RetellNumbers(parts.retell(), parts.agents(), parts.numbers()),
        new CallQueries(parts.pool(), parts.agents(), parts.numbers(), publicUrl), recordings,
        parts.retell(), parts.numbers()));
    deploy(new CallReconciler(parts.pool(), parts.retell(), parts.budget(), finalizer,
        recordings, settings, alsoUnderLease));
    mount(new RecordingRoutes(parts.api()));
    CallHubs hubs = new CallHubs(parts.vertx());
    mount(new LiveRoutes(parts.api(), hubs, settings.voice().sseHeartbeatMillis()));
    mount(new CallRoutes(parts.api(), hubs, sessions, settings, parts.sockets(),
        parts.retellApiKey()));
  }

  /** The node's registry of live call sessions. */
  public CallSessions sessions() {
    return sessions;
  }
}
