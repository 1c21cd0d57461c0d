package dev.agentphone.messaging;

import dev.agentphone.http.Validator;
import dev.agentphone.platform.PhoneNumbers;
import io.vertx.core.json.JsonArray;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the body of {@code POST /v1/messages} (snake_case): every rule that needs nothing but the
 * body is checked here and answered 422; the rules that depend on the sending line (SMS or
 * iMessage) are {@link OutboundMessaging}'s, answered 400.
 */
final class SendRequest {
  static final int MAX_BODY = 1600;
  static final int MAX_MEDIA = 20;
  static final int MIN_RECIPIENTS = 2;
  static final int MAX_RECIPIENTS = 32;

  private SendRequest() {
  }

  /** The message the body asks for; its errors are collected in {@code body}. */
  static MessagingApi.Send read(Validator body) {
    String agentId = body.optionalString("agent_id");
    String numberId = body.optionalString("number_id");
    String fromNumber = ownNumber(body);
    if (agentId == null && numberId == null && body.raw().getValue("from_number") == null) {
      body.reject("agent_id", "missing", "Field required: name the sending line with agent_id, "
          + "number_id or from_number");
    }
    String to = body.optionalString("to_number");
    JsonArray recipients = body.optionalStringArray("recipients");
    if (to != null && recipients != null) {
      body.reject("recipients", "value_error", "Provide to_number (an existing chat) or "
          + "recipients (to start a new group), not both");
    } else if (to == null && recipients == null) {
      body.reject("to_number", "missing", "Field required (or recipients, to start a new group)");
    }
    if (recipients != null && (recipients.size() < MIN_RECIPIENTS
        || recipients.size() > MAX_RECIPIENTS)) {
      body.reject("recipients", recipients.size() < MIN_RECIPIENTS ? "too_short" : "too_long",
          "A group needs " + MIN_RECIPIENTS + " to " + MAX_RECIPIENTS + " recipients, got "
              + recipients.size());
    }
    String text = body.requiredString("body");
    if (text != null && text.length() > MAX_BODY) {
      body.reject("body", "string_too_long", "String should have at most " + MAX_BODY
          + " characters");
    }
    List<String> media = media(body);
    if (text != null && text.isBlank() && media.isEmpty()) {
      body.reject("body", "string_too_short", "A message needs a body or media_urls");
    }
    String sendStyle = body.optionalEnum("send_style", MessagingApi.SEND_STYLES);
    String replyTo = body.optionalString("reply_to_message_id");
    return new MessagingApi.Send(agentId, numberId, fromNumber, to,
        recipients == null ? null : strings(recipients), text, media, sendStyle, replyTo);
  }

  /** {@code from_number} in E.164 (our own numbers are E.164 already; US is assumed without +). */
  private static String ownNumber(Validator body) {
    String raw = body.optionalString("from_number");
    if (raw == null) {
      return null;
    }
    String e164 = PhoneNumbers.e164(raw, "US");
    if (e164 == null) {
      body.reject("from_number", "value_error", PhoneNumbers.invalid(raw));
    }
    return e164;
  }

  /**
   * The deprecated {@code media_url} (http or https, as it always was) followed by
   * {@code media_urls} (https only, as the API documents), without repeats.
   */
  private static List<String> media(Validator body) {
    Set<String> media = new LinkedHashSet<>();
    String single = body.optionalString("media_url");
    if (single != null) {
      if (!isUrl(single, false)) {
        body.reject("media_url", "url_parsing", "media_url must be an http(s) URL");
      } else {
        media.add(single);
      }
    }
    JsonArray many = body.optionalStringArray("media_urls");
    if (many != null) {
      if (many.size() > MAX_MEDIA) {
        body.reject("media_urls", "too_long", "At most " + MAX_MEDIA + " media URLs, got "
            + many.size());
      }
      for (int i = 0; i < many.size(); i++) {
        if (!isUrl(many.getString(i), true)) {
          body.reject("media_urls", "url_parsing", "media_urls[" + i + "] must be a public "
              + "https URL");
        } else {
          media.add(many.getString(i));
        }
      }
    }
    return new ArrayList<>(media);
  }

  private static boolean isUrl(String text, boolean httpsOnly) {
    if (!text.matches(httpsOnly ? "(?i)https://\\S+" : "(?i)https?://\\S+")) {
      return false;
    }
    try {
      URI uri = new URI(text);
      return uri.getHost() != null && !uri.getHost().isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    array.forEach(v -> out.add((String) v));
    return out;
  }
}
