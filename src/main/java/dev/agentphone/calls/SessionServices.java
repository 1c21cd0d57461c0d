package dev.agentphone.calls;

import dev.agentphone.agents.AgentsApi;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.usage.CallBudget;
import dev.agentphone.webhooks.WebhooksApi;
import io.vertx.sqlclient.Pool;

/**
 * What every call session of a node works with, built once at start-up: the database, the
 * domains it asks, the plan's budget, the end of a call, the agents' tools, the voice
 * settings and the lookups the live calls of one agent share.
 */
record SessionServices(Pool pool, AgentsApi agents, CallBudget budget, CallFinalizer finalizer,
    WebhooksApi webhooks, SsrfGuard guard, ToolCalls tools, CallSettings.Voice voice,
    LiveLookups lookups) {
}
