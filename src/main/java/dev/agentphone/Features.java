package dev.agentphone;

import dev.agentphone.accounts.AccountsApi;
import dev.agentphone.accounts.AccountsFeature;
import dev.agentphone.agents.AgentsApi;
import dev.agentphone.audit.AuditApi;
import dev.agentphone.audit.AuditFeature;
import dev.agentphone.agents.AgentsFeature;
import dev.agentphone.calls.CallSettings;
import dev.agentphone.calls.CallsApi;
import dev.agentphone.calls.CallsFeature;
import dev.agentphone.console.ConsoleRoutes;
import dev.agentphone.contactcards.ContactCardsApi;
import dev.agentphone.contactcards.ContactCardsFeature;
import dev.agentphone.contacts.Capabilities;
import dev.agentphone.contacts.ContactsApi;
import dev.agentphone.contacts.ContactsFeature;
import dev.agentphone.conversations.ConversationsApi;
import dev.agentphone.conversations.ConversationsFeature;
import dev.agentphone.egress.GuardedDownload;
import dev.agentphone.egress.HostLookup;
import dev.agentphone.egress.SsrfGuard;
import dev.agentphone.http.ApiKeyAuth;
import dev.agentphone.http.HttpSettings;
import dev.agentphone.http.IdempotencyKeys;
import dev.agentphone.http.IdempotencyPurge;
import dev.agentphone.http.IdempotencySettings;
import dev.agentphone.http.IdempotencyStore;
import dev.agentphone.http.KeyRevocations;
import dev.agentphone.http.RateLimiter;
import dev.agentphone.location.LocationApi;
import dev.agentphone.location.LocationFeature;
import dev.agentphone.mcp.McpFeature;
import dev.agentphone.messaging.ConversationHistory;
import dev.agentphone.messaging.MessagingApi;
import dev.agentphone.messaging.MessagingFeature;
import dev.agentphone.numbers.NumbersApi;
import dev.agentphone.numbers.NumbersFeature;
import dev.agentphone.ops.OpsFeature;
import dev.agentphone.platform.AppConfig;
import dev.agentphone.platform.EventRelayVerticle;
import dev.agentphone.platform.EventStream;
import dev.agentphone.platform.Feature;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.ProviderEdges;
import dev.agentphone.providers.Providers;
import dev.agentphone.providers.ProvidersFeature;
import dev.agentphone.providers.retell.LlmSocketUrls;
import dev.agentphone.providers.retell.RetellAgents;
import dev.agentphone.providers.retell.RetellClient;
import dev.agentphone.registration.RegistrationApi;
import dev.agentphone.registration.RegistrationFeature;
import dev.agentphone.sandbox.SandboxFeature;
import dev.agentphone.sandbox.SandboxGate;
import dev.agentphone.usage.CallBudget;
import dev.agentphone.usage.MessageQuota;
import dev.agentphone.usage.Plans;
import dev.agentphone.usage.UsageApi;
import dev.agentphone.usage.UsageFeature;
import dev.agentphone.webhooks.WebhookSettings;
import dev.agentphone.webhooks.WebhooksApi;
import dev.agentphone.webhooks.WebhooksFeature;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's object graph, built in one place: the shared services (plans, providers, Retell,
 * the socket URLs, DNS and the SSRF guard, API-key authentication with its cache and rate
 * limiter), each domain's published API, and the features that use them, in the order their
 * verticles deploy and their routes mount. Only this class and {@link Engine} know the concrete
 * classes; everything else is handed what it needs.
 */
final class Features {
  /** How long fetching a customer's file (a chat background, a contact card's photo) may take in all. */
  private static final long DOWNLOAD_TIMEOUT_MILLIS = 10_000;
  private final List<Feature> features = new ArrayList<>();
  private final List<Routes> routes = new ArrayList<>();
  private final HttpSettings http;
  private final ApiKeyAuth authentication;
  private final IdempotencyKeys idempotency;
  private final HostLookup hostLookup;
  private final GuardedDownload downloads;
  private final CallsFeature calls;

  Features(Vertx vertx, AppConfig config, String databaseUrl, Pool pool, ProviderEdges edges,
      LlmSocketUrls socketUrls) {
    http = HttpSettings.from(config);
    Plans plans = new Plans(config);
    EventStream stream = EventStream.from(config);
    WebhookSettings webhookSettings = WebhookSettings.from(config);
    CallSettings callSettings = CallSettings.from(config);
    hostLookup = HostLookup.from(vertx, config);
    SsrfGuard guard = new SsrfGuard(hostLookup, webhookSettings.allowPrivateTargets());
    downloads = new GuardedDownload(vertx, guard, DOWNLOAD_TIMEOUT_MILLIS);

    AccountsApi accountsApi = new AccountsApi(vertx);
    AgentsApi agentsApi = new AgentsApi(vertx);
    NumbersApi numbersApi = new NumbersApi(vertx);
    ContactsApi contactsApi = new ContactsApi(vertx);
    ConversationsApi conversationsApi = new ConversationsApi(vertx);
    MessagingApi messagingApi = new MessagingApi(vertx);
    WebhooksApi webhooksApi = new WebhooksApi(vertx);
    CallsApi callsApi = new CallsApi(vertx);
    UsageApi usageApi = new UsageApi(vertx);
    ContactCardsApi contactCardsApi = new ContactCardsApi(vertx);
    LocationApi locationApi = new LocationApi(vertx);
    RegistrationApi registrationApi = new RegistrationApi(vertx);

    Providers providers = Providers.create(vertx, config, pool, edges, numbersApi::activeAmong);
    RetellClient retell = providers.retell();
    authentication = new ApiKeyAuth(accountsApi,
        new RateLimiter(http.rateLimitPerSecond(), http.rateLimitBurst()),
        http.authCacheSeconds() * 1000L);
    IdempotencySettings idempotencySettings = IdempotencySettings.from(config);
    IdempotencyStore idempotencyStore = new IdempotencyStore(pool);
    idempotency = new IdempotencyKeys(idempotencyStore, idempotencySettings);

    AgentsFeature agents = new AgentsFeature(vertx, pool, retell,
        new RetellAgents(retell, config.publicUrl(), socketUrls),
        config.string("voice.defaultVoice"), callSettings.retellTimeoutMillis(), guard,
        agentsApi);
    calls = new CallsFeature(new CallsFeature.Parts(vertx, pool, callSettings, retell,
        RetellClient.apiKey(config), socketUrls, new CallBudget(pool, plans), guard, agentsApi,
        numbersApi, contactsApi, webhooksApi, messagingApi, callsApi), agents::migrateSockets);

    // deploy order: a domain's verticle before those that ask it while they start
    features.add(new OpsFeature(pool, stream, config.longValue("ops.healthTimeoutMillis")));
    features.add(Feature.of(List.of(new KeyRevocations(authentication)), List.of()));
    features.add(new AuditFeature(pool, new AuditApi(vertx)));
    features.add(new AccountsFeature(pool, config, plans, providers.email(),
        providers.telephony(), agents.writes(), numbersApi, callsApi, accountsApi));
    features.add(agents);
    features.add(new NumbersFeature(pool, plans, config.longValue("numbers.reservationSeconds"),
        providers.telephony(), providers.imessage(), agentsApi, numbersApi));
    features.add(new ContactCardsFeature(pool, numbersApi, providers.imessage(), downloads,
        contactCardsApi));
    features.add(new ContactsFeature(pool, new Capabilities(pool, providers.lineLookup(),
        providers.imessage(), numbersApi, config.longValue("contacts.capabilitiesTtlSeconds")),
        contactsApi));
    features.add(new ConversationsFeature(pool, agentsApi, new ConversationHistory(pool),
        numbersApi, providers.imessage(), downloads, conversationsApi));
    features.add(new LocationFeature(providers.locations(), contactsApi, conversationsApi,
        locationApi));
    features.add(new MessagingFeature(pool, providers.telephony(), providers.imessage(),
        new MessageQuota(plans), agentsApi, numbersApi, contactsApi, registrationApi::checkSms,
        messagingApi));
    features.add(new RegistrationFeature(pool, config, plans, accountsApi, providers.a2p(),
        authentication, registrationApi));
    features.add(new WebhooksFeature(pool, databaseUrl, webhookSettings, stream, guard,
        agentsApi, conversationsApi, accountsApi, webhooksApi));
    features.add(new ProvidersFeature(providers, config.sandbox(), config.publicUrl(), pool,
        messagingApi));
    features.add(eventRelay(stream, pool, databaseUrl));
    features.add(new SandboxFeature(vertx, config, pool, authentication,
        providers.twilioAuthToken(), numbersApi, callsApi, messagingApi));
    features.add(calls);
    features.add(new UsageFeature(pool, plans, usageApi));
    features.add(console());
    features.add(new McpFeature(vertx, http.port(), authentication));
    features.add(Feature.of(List.of(new IdempotencyPurge(idempotencyStore, idempotencySettings)),
        List.of()));

    // the sandbox gate before everything it guards
    routes.add(new SandboxGate(config));
    features.forEach(feature -> routes.addAll(feature.routes()));
  }

  /** Relays committed events to Kafka when the event stream is configured. */
  private static Feature eventRelay(EventStream stream, Pool pool, String databaseUrl) {
    return Feature.of(List.of(new EventRelayVerticle(stream, pool, databaseUrl)), List.of());
  }

  private static Feature console() {
    return Feature.of(List.of(), List.of(new ConsoleRoutes()));
  }

  /** Every domain verticle, in deployment order. */
  List<VerticleBase> verticles() {
    List<VerticleBase> all = new ArrayList<>();
    features.forEach(feature -> all.addAll(feature.verticles()));
    return all;
  }

  /** Every route set, in mounting order. */
  List<Routes> routes() {
    return routes;
  }

  HttpSettings http() {
    return http;
  }

  ApiKeyAuth authentication() {
    return authentication;
  }

  /** Idempotency-Key on POST /v1, shared by every HTTP verticle. */
  IdempotencyKeys idempotency() {
    return idempotency;
  }

  /** Live call sessions on this node. */
  int liveCallSessions() {
    return calls.sessions().size();
  }

  /** Releases what the graph holds outside its verticles. */
  void close() {
    hostLookup.close();
    downloads.close();
  }
}
