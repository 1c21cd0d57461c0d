package dev.agentphone.sandbox;

import dev.agentphone.http.Caller;
import dev.agentphone.http.Responses;
import dev.agentphone.http.Validator;
import dev.agentphone.messaging.MessagingApi;
import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.twilio.TwilioSignatures;
import dev.agentphone.providers.twilio.TwilioWebhookRoutes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated carrier reports on a message the engine sent: {@code POST /sandbox/sms/status
 * {messageId, status, errorCode?}} signs Twilio's status callback ({@code MessageStatus},
 * {@code ErrorCode} such as 30003 "unreachable handset" or 30007 "carrier filtering") and POSTs
 * it to our own {@code /webhooks/twilio/status?messageId=…}, as Twilio does for the status
 * callback the engine asked for, so the real signature check and status path run. It answers
 * with the callback's HTTP status and the message's delivery as the engine then holds it.
 */
final class SandboxDeliveryRoutes implements Routes {
  static final List<String> STATUSES =
      List.of("queued", "sending", "sent", "delivered", "undelivered", "failed", "read");

  private final Vertx vertx;
  private final Handler<RoutingContext> auth;
  private final MessagingApi messaging;
  private final SandboxMessagingRoutes.Settings settings;

  SandboxDeliveryRoutes(Vertx vertx, Handler<RoutingContext> auth,
      MessagingApi messaging, SandboxMessagingRoutes.Settings settings) {
    this.vertx = vertx;
    this.auth = auth;
    this.messaging = messaging;
    this.settings = settings;
  }

  @Override
  public void mountPublic(Router root) {
    WebClient http = WebClient.create(vertx);
    root.post("/sandbox/sms/status").handler(auth).handler(Responses.guarded(ctx -> {
      Validator body = Validator.body(ctx);
      String messageId = body.requiredString("messageId");
      String status = body.requiredEnum("status", STATUSES);
      String errorCode = body.optionalString("errorCode");
      if (errorCode != null && !errorCode.matches("[0-9]{5}")) {
        body.reject("errorCode", "string_pattern_mismatch", "Twilio's 5-digit error code");
      }
      body.check();
      String accountId = Caller.accountOf(ctx);
      String path = TwilioWebhookRoutes.STATUS_PATH + "?messageId=" + messageId;
      messaging.delivery(accountId, messageId)
          .compose(known -> known == null
              ? Future.failedFuture(new ApiError(404, "No message of yours with this id"))
              : Future.succeededFuture(known.getString("messageSid")))
          .compose(sid -> {
            MultiMap fields = MultiMap.caseInsensitiveMultiMap();
            Map<String, String> form = form(sid, status, errorCode);
            form.forEach(fields::add);
            return http.post(settings.httpPort(), "localhost", path)
                .putHeader("X-Twilio-Signature", TwilioSignatures.sign(settings.twilioToken(),
                    settings.publicUrl() + path, form))
                .sendForm(fields)
                .compose(callback -> messaging.delivery(accountId, messageId)
                    .map(delivery -> new JsonObject().put("messageSid", sid)
                        .put("callbackStatus", callback.statusCode())
                        .put("delivery", delivery)));
          })
          .onSuccess(answer -> Responses.json(ctx, 200, answer))
          .onFailure(failure -> Responses.error(ctx, failure));
    }));
  }

  private Map<String, String> form(String sid, String status, String errorCode) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("MessageSid", sid == null ? "" : sid);
    form.put("SmsSid", sid == null ? "" : sid);
    form.put("AccountSid", settings.twilioAccountSid());
    form.put("MessageStatus", status);
    form.put("SmsStatus", status);
    if (errorCode != null) {
      form.put("ErrorCode", errorCode);
    }
    form.put("ApiVersion", "2010-04-01");
    return form;
  }
}
