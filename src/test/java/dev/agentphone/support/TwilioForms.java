package dev.agentphone.support;

import dev.agentphone.providers.twilio.TwilioSignatures;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Twilio's side of its webhooks: form-encoded parameters signed with the auth token. */
public final class TwilioForms {
  private TwilioForms() {
  }

  /** Inbound SMS parameters as Twilio sends them; {@code media} become MediaUrl0… */
  public static Map<String, String> sms(String sid, String from, String to, String body,
      String... media) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("ToCountry", "US");
    form.put("SmsMessageSid", sid);
    form.put("NumMedia", String.valueOf(media.length));
    form.put("SmsSid", sid);
    form.put("SmsStatus", "received");
    form.put("Body", body);
    form.put("To", to);
    form.put("NumSegments", "1");
    form.put("MessageSid", sid);
    form.put("AccountSid", FakeTwilio.ACCOUNT_SID);
    form.put("From", from);
    form.put("ApiVersion", "2010-04-01");
    for (int i = 0; i < media.length; i++) {
      form.put("MediaUrl" + i, media[i]);
      form.put("MediaContentType" + i, "image/jpeg");
    }
    return form;
  }

  public static String encode(Map<String, String> form) {
    return form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  /** POSTs the form to {@code path} signed for {@code publicUrl + path} with {@code token}. */
  public static Api.Response post(Api api, String path, Map<String, String> form, String token) {
    String signature = TwilioSignatures.sign(token, api.base() + path, form);
    return api.send("POST", path, null, encode(form), "application/x-www-form-urlencoded",
        "X-Twilio-Signature", signature);
  }

  public static Api.Response postUnsigned(Api api, String path, Map<String, String> form,
      String... headers) {
    return api.send("POST", path, null, encode(form), "application/x-www-form-urlencoded",
        headers);
  }

}
