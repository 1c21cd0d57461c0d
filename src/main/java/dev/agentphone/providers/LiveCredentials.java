package dev.agentphone.providers;

import dev.agentphone.platform.AppConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Live mode talks to the real providers and never falls back to a sandbox stand-in or to one of
 * the sandbox's published secrets, so it does not start without every provider's credentials.
 */
public final class LiveCredentials {
  private LiveCredentials() {
  }

  /** The environment variables live mode needs and this configuration lacks; empty in sandbox. */
  public static List<String> missing(AppConfig config) {
    List<String> missing = new ArrayList<>();
    if (config.sandbox()) {
      return missing;
    }
    for (String[] needed : new String[][] {{"RETELL_API_KEY", "retell.apiKey"},
        {"TWILIO_ACCOUNT_SID", "twilio.accountSid"}, {"TWILIO_AUTH_TOKEN", "twilio.authToken"},
        {"AGENTPHONE_SMTP_HOST", "email.smtpHost"}}) {
      String value = config.optionalString(needed[1]);
      if (value == null) {
        missing.add(needed[0]);
      }
    }
    return missing;
  }

  /** Refuses to go on in live mode without real credentials, naming every one that is missing. */
  public static void require(AppConfig config) {
    List<String> missing = missing(config);
    if (!missing.isEmpty()) {
      throw new IllegalStateException("live mode (AGENTPHONE_PROVIDERS=live) needs real provider "
          + "credentials; set " + String.join(", ", missing)
          + " (or run with AGENTPHONE_PROVIDERS=sandbox)");
    }
  }
}
