package dev.agentphone.sandbox;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.messaging.MessagingApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.sandbox.SandboxCarrier;
import dev.agentphone.providers.telephony.InboundMessages;
import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The messaging simulator (sandbox mode only, scoped to the caller's API key): a phone texting one
 * of the caller's numbers, and the outbox of what the engine sent. {@code POST /sandbox/sms} signs
 * a Twilio form request and POSTs it to our own {@code /webhooks/twilio/sms} over HTTP, so the
 * real signature check and ingest path run.
 */
final class SandboxMessagingRoutes implements Routes {
  private final Vertx vertx;
  private final Pool pool;
  private final Handler<RoutingContext> auth;
  private final SandboxAccount account;
  private final MessagingApi messaging;
  private final Settings settings;

  /**
   * Where and how the simulated phone reaches the engine: its port and public URL, the Twilio
   * auth token it signs with and the account SID it claims to come from.
   */
  record Settings(int httpPort, String publicUrl, String twilioToken, String twilioAccountSid) {
  }

  SandboxMessagingRoutes(Vertx vertx, Pool pool, Handler<RoutingContext> auth,
      SandboxAccount account, MessagingApi messaging, Settings settings) {
    this.vertx = vertx;
    this.pool = pool;
    this.auth = auth;
    this.account = account;
    this.messaging = messaging;
    this.settings = settings;
  }

  @Override
  public void mountPublic(Router root) {
    WebClient http = WebClient.create(vertx);
    String token = settings.twilioToken();
    String accountSid = settings.twilioAccountSid();

    root.post("/sandbox/sms").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = phone(body, "from");
      String to = phone(body, "to");
      String text = body.optionalString("body");
      JsonArray mediaUrls = body.optionalStringArray("mediaUrls");
      if (text == null && (mediaUrls == null || mediaUrls.isEmpty())) {
        body.reject("body", "missing", "Send a body, mediaUrls or both");
      }
      body.check();
      String accountId = Caller.of(ctx).accountId();
      String sid = "SM" + SandboxRetellRoutes.hex(16);
      Map<String, String> form = new LinkedHashMap<>();
      form.put("MessageSid", sid);
      form.put("SmsMessageSid", sid);
      form.put("SmsSid", sid);
      form.put("AccountSid", accountSid);
      form.put("From", from);
      form.put("To", to);
      form.put("Body", text == null ? "" : text);
      form.put("NumMedia", String.valueOf(mediaUrls == null ? 0 : mediaUrls.size()));
      form.put("NumSegments", "1");
      form.put("SmsStatus", "received");
      form.put("ApiVersion", "2010-04-01");
      if (mediaUrls != null) {
        for (int i = 0; i < mediaUrls.size(); i++) {
          form.put("MediaUrl" + i, mediaUrls.getString(i));
        }
      }
      String signature = TwilioSignatures.sign(token,
          settings.publicUrl() + TwilioWebhookRoutes.SMS_PATH, form);
      MultiMap fields = MultiMap.caseInsensitiveMultiMap();
      form.forEach(fields::add);
      account.number(ctx, to)
          .compose(number -> http.post(settings.httpPort(), "localhost",
                  TwilioWebhookRoutes.SMS_PATH)
              .putHeader("X-Twilio-Signature", signature)
              .sendForm(fields))
          .compose(response -> {
            if (response.statusCode() != 200) {
              return Future.failedFuture(new ApiError(502, "Our Twilio webhook answered "
                  + response.statusCode() + ": " + response.bodyAsString()));
            }
            return messaging.bySid(accountId, sid);
          })
          .onSuccess(message -> Responses.json(ctx, 200, new JsonObject()
              .put("messageSid", sid).put("webhookStatus", 200).put("message", message)))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));

    root.get("/sandbox/sms").handler(auth).handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      query.check();
      SandboxCarrier.outbox(pool, Caller.accountOf(ctx), limit)
          .onSuccess(sent -> Responses.json(ctx, 200, new JsonObject().put("data", sent)))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));

    // iMessage has no public wire format to simulate; these drive the same ingest the carrier
    // would. groupId: a member of that group wrote in it; replyTo: an inline reply to a message.
    root.post("/sandbox/imessage").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = sender(body);
      String to = phone(body, "to");
      String text = body.requiredString("body");
      String groupId = body.optionalString("groupId");
      String replyTo = body.optionalString("replyTo");
      JsonArray mediaUrls = body.optionalStringArray("mediaUrls");
      body.check();
      String sid = "IM" + SandboxRetellRoutes.hex(16);
      List<String> media = mediaUrls == null ? List.of()
          : mediaUrls.stream().map(String::valueOf).toList();
      account.number(ctx, to)
          .compose(number -> messaging.inbound(new InboundMessages.Message(sid, from, to, text,
              media), groupId, replyTo))
          .onSuccess(stored -> Responses.json(ctx, 200, stored))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));

    root.post("/sandbox/imessage/reactions").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = phone(body, "from");
      String to = phone(body, "to");
      String messageId = body.requiredString("messageId");
      String reaction = body.requiredEnum("reaction", MessagingApi.REACTIONS);
      body.check();
      account.number(ctx, to)
          .compose(number -> messaging.inboundReaction(from, to, messageId, reaction))
          .onSuccess(stored -> Responses.json(ctx, 200, stored))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));
  }

  /** An iMessage comes from a phone number or an Apple ID's email address. */
  private static String sender(Validator body) {
    String raw = body.optionalString("from");
    return raw != null && raw.contains("@") ? raw.trim().toLowerCase(Locale.ROOT)
        : phone(body, "from");
  }

  private static String phone(Validator body, String field) {
    String raw = body.requiredString(field);
    if (raw == null) {
      return null;
    }
    String e164 = PhoneNumbers.e164(raw, "US");
    if (e164 == null) {
      body.reject(field, "value_error", PhoneNumbers.invalid(raw));
    }
    return e164;
  }
}
