package dev.agentphone.accounts;

import dev.agentphone.platform.AppConfig;

/**
 * The {@code signup} section. {@code otpSecret} null means one generated once per installation;
 * {@code claimSeconds} is how long a sign-up being completed holds its email, the same as a
 * number purchase's reservation ({@code numbers.reservationSeconds}), since the claim covers the
 * purchase of the starter number.
 */
record SignupSettings(int codeTtlSeconds, int maxAttempts, int failureWindowSeconds,
    String otpSecret, String defaultAgentName, long claimSeconds) {

  static SignupSettings from(AppConfig config) {
    return new SignupSettings(config.integer("signup.codeTtlSeconds"),
        config.integer("signup.maxAttempts"), config.integer("signup.failureWindowSeconds"),
        config.optionalString("signup.otpSecret"), config.string("signup.defaultAgentName"),
        config.longValue("numbers.reservationSeconds"));
  }
}
