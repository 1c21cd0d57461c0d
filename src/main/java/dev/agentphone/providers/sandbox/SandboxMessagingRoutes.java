package dev.agentphone.providers.sandbox;

import dev.agentphone.Engine;
import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Routes;
import dev.agentphone.http.Validator;
import dev.agentphone.messaging.MessagingVerticle;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Bus;
import dev.agentphone.platform.PhoneNumbers;
import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The messaging simulator (sandbox mode only, scoped to the caller's API key): a phone texting one
 * of the caller's numbers, and the outbox of what the engine sent. {@code POST /sandbox/sms} signs
 * a Twilio form request and POSTs it to our own {@code /webhooks/twilio/sms} over HTTP, so the
 * real signature check and ingest path run.
 */
public final class SandboxMessagingRoutes implements Routes {
  @Override
  public void mountPublic(Router root, Engine engine) {
    if (!engine.config().sandbox()) {
      return;
    }
    Handler<RoutingContext> auth = SandboxAccount.auth(engine);
    WebClient http = WebClient.create(engine.vertx());
    String token = engine.providers().twilioAuthToken();
    String accountSid = engine.config().string("twilio.accountSid",
        "AC00000000000000000000000000000000");

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
      String sid = "SM" + SandboxCarrier.hex(16);
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
          engine.config().publicUrl() + TwilioWebhookRoutes.SMS_PATH, form);
      MultiMap fields = MultiMap.caseInsensitiveMultiMap();
      form.forEach(fields::add);
      SandboxAccount.number(ctx, to)
          .compose(number -> http.post(engine.config().httpPort(), "localhost",
                  TwilioWebhookRoutes.SMS_PATH)
              .putHeader("X-Twilio-Signature", signature)
              .sendForm(fields))
          .compose(response -> {
            if (response.statusCode() != 200) {
              return Future.failedFuture(new ApiError(502, "Our Twilio webhook answered "
                  + response.statusCode() + ": " + response.bodyAsString()));
            }
            return Bus.<JsonObject>request(ctx.vertx(), MessagingVerticle.BY_SID,
                new JsonObject().put("accountId", accountId).put("sid", sid));
          })
          .onSuccess(message -> Responses.json(ctx, 200, new JsonObject()
              .put("messageSid", sid).put("webhookStatus", 200).put("message", message)))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));

    root.get("/sandbox/sms").handler(auth).handler(Responses.guarded(ctx -> {
      Validator query = Validator.query(ctx);
      int limit = query.queryInt("limit", 50, 1, 200);
      query.check();
      SandboxCarrier.outbox(engine.pool(), Caller.of(ctx).accountId(), limit)
          .onSuccess(sent -> Responses.json(ctx, 200, new JsonObject().put("data", sent)))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));

    // iMessage has no public wire format to simulate; these drive the same ingest the carrier would.
    root.post("/sandbox/imessage").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = phone(body, "from");
      String to = phone(body, "to");
      String text = body.requiredString("body");
      body.check();
      String sid = "IM" + SandboxCarrier.hex(16);
      SandboxAccount.number(ctx, to)
          .compose(number -> Bus.request(ctx.vertx(), MessagingVerticle.INBOUND, new JsonObject()
              .put("messageSid", sid).put("from", from).put("to", to).put("body", text)
              .put("mediaUrls", new JsonArray())))
          .onSuccess(stored -> Responses.json(ctx, 200, stored))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));

    root.post("/sandbox/imessage/reactions").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String from = phone(body, "from");
      String to = phone(body, "to");
      String messageId = body.requiredString("messageId");
      String reaction = body.requiredEnum("reaction", MessagingVerticle.REACTIONS);
      body.check();
      SandboxAccount.number(ctx, to)
          .compose(number -> Bus.request(ctx.vertx(), MessagingVerticle.INBOUND_REACTION,
              new JsonObject().put("from", from).put("to", to).put("messageId", messageId)
                  .put("reaction", reaction)))
          .onSuccess(stored -> Responses.json(ctx, 200, stored))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));
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
