package dev.agentphone.providers.twilio;

import dev.agentphone.http.Responses;
import dev.agentphone.http.StorableText;
import dev.agentphone.platform.Routes;
import dev.agentphone.providers.telephony.InboundMessages;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio's callbacks: inbound SMS/MMS and delivery status, form-encoded and signed with
 * {@code X-Twilio-Signature} over our public URL. An unsigned or wrongly signed request is 403
 * and changes nothing. What they report goes to {@link InboundMessages}.
 */
public final class TwilioWebhookRoutes implements Routes {
  public static final String SMS_PATH = "/webhooks/twilio/sms";
  public static final String STATUS_PATH = "/webhooks/twilio/status";
  private static final Logger LOG = LoggerFactory.getLogger(TwilioWebhookRoutes.class);
  private static final String EMPTY_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";

  private final InboundMessages inbound;
  private final String token;
  private final String publicUrl;

  /** {@code token}: the auth token requests are signed with; {@code publicUrl}: ours, as signed. */
  public TwilioWebhookRoutes(InboundMessages inbound, String token, String publicUrl) {
    this.inbound = inbound;
    this.token = token;
    this.publicUrl = publicUrl;
  }

  @Override
  public void mountPublic(Router root) {
    root.post(SMS_PATH).handler(ctx -> {
      Map<String, String> form = signedForm(ctx, token, publicUrl);
      if (form == null) {
        return;
      }
      String sid = form.get("MessageSid");
      String from = form.get("From");
      String to = form.get("To");
      if (sid == null || from == null || to == null) {
        Responses.json(ctx, 400, new JsonObject().put("detail",
            "MessageSid, From and To are required"));
        return;
      }
      List<String> media = new ArrayList<>();
      int count = parseCount(form.get("NumMedia"));
      for (int i = 0; i < count; i++) {
        String url = form.get("MediaUrl" + i);
        if (url != null) {
          media.add(url);
        }
      }
      inbound.received(new InboundMessages.Message(sid, from, to, form.getOrDefault("Body", ""),
              media))
          .onSuccess(stored -> ctx.response().setStatusCode(200)
              .putHeader("content-type", "text/xml").end(EMPTY_TWIML))
          .onFailure(failure -> Responses.error(ctx, failure));
    });

    root.post(STATUS_PATH).handler(ctx -> {
      Map<String, String> form = signedForm(ctx, token, publicUrl);
      if (form == null) {
        return;
      }
      String status = form.getOrDefault("MessageStatus", form.get("SmsStatus"));
      if (status == null) {
        // Voice status callbacks share the number's callback URL; they are not ours to record.
        ctx.response().setStatusCode(204).end();
        return;
      }
      Responses.noContent(ctx, inbound.statusChanged(new InboundMessages.StatusUpdate(
          ctx.request().getParam("messageId"), form.get("MessageSid"), status,
          form.get("ErrorCode"))));
    });
  }

  /**
   * The POST parameters when the signature matches; otherwise answers 403 and returns null.
   *
   * <p>The values are made storable after the signature is checked over them as sent. A NUL in a
   * carrier's text cannot be refused: Twilio would retry a 4xx and then drop the message, so a
   * real SMS would be lost. It is kept with each NUL (and any lone surrogate) replaced by U+FFFD,
   * which marks the spot, and a warning names the message. (GSM 03.38 encodes '@' as 0x00, so a
   * NUL in an SMS is most likely an '@' a gateway failed to map; guessing that is not ours.)
   */
  private static Map<String, String> signedForm(RoutingContext ctx, String token, String publicUrl) {
    Map<String, String> form = new HashMap<>();
    ctx.request().formAttributes().forEach(e -> form.put(e.getKey(), e.getValue()));
    String signature = ctx.request().getHeader("X-Twilio-Signature");
    if (!TwilioSignatures.valid(token, publicUrl + ctx.request().uri(), form, signature)) {
      Responses.json(ctx, 403, new JsonObject().put("detail",
          signature == null ? "Missing X-Twilio-Signature" : "Invalid X-Twilio-Signature"));
      return null;
    }
    Map<String, String> storable = new HashMap<>();
    form.forEach((name, value) -> {
      String kept = StorableText.replaced(value);
      if (!kept.equals(value)) {
        LOG.warn("Twilio {} {}: parameter {} carried NUL or invalid Unicode, kept with U+FFFD",
            ctx.request().path(), StorableText.replaced(form.get("MessageSid")),
            StorableText.replaced(name));
      }
      storable.put(StorableText.replaced(name), kept);
    });
    return storable;
  }

  private static int parseCount(String text) {
    try {
      return text == null ? 0 : Math.max(0, Math.min(10, Integer.parseInt(text.trim())));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
