package dev.agentphone.providers.twilio;

import com.twilio.security.RequestValidator;
import dev.agentphone.platform.AppConfig;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code X-Twilio-Signature}: base64 HMAC-SHA1 under the auth token of the full URL followed by
 * every POST parameter name and value, sorted by name. Checking uses Twilio's own validator.
 */
public final class TwilioSignatures {
  private TwilioSignatures() {
  }

  /** {@code TWILIO_AUTH_TOKEN}; in sandbox mode without one, the documented sandbox token. */
  public static String authToken(AppConfig config) {
    String token = config.optionalString("twilio.authToken");
    if (token != null) {
      return token;
    }
    return config.sandbox() ? config.string("twilio.sandboxAuthToken") : null;
  }

  /** True when webhooks are checked with the documented sandbox token, not a real one. */
  public static boolean usesSandboxToken(AppConfig config) {
    return config.sandbox() && config.optionalString("twilio.authToken") == null;
  }

  public static boolean valid(String authToken, String url, Map<String, String> params,
      String signature) {
    if (authToken == null || signature == null || signature.isBlank()) {
      return false;
    }
    return new RequestValidator(authToken).validate(url, params, signature);
  }

  /** Signs a form POST as Twilio does (the sandbox simulator's side of the exchange). */
  public static String sign(String authToken, String url, Map<String, String> params) {
    StringBuilder data = new StringBuilder(url);
    new TreeMap<>(params).forEach((name, value) -> data.append(name).append(value));
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      return Base64.getEncoder().encodeToString(
          mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
