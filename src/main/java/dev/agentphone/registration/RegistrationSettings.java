package dev.agentphone.registration;

import dev.agentphone.platform.AppConfig;

/**
 * {@code registration.*}: the fee, whether outbound US SMS needs an approved registration (the
 * plans may say so for themselves), and the progress worker's schedule.
 *
 * @param feeCents the one-time fee, charged to the main account
 * @param requiredForUsSms every account needs an approved registration to text US numbers,
 *     unless its plan says otherwise ({@code plans.catalog.<plan>.registrationRequiredForUsSms})
 * @param sandboxStageMillis how long the sandbox's carriers take for each stage
 * @param pollMillis how often a live registration's review is read from the provider
 * @param workerIntervalMillis how often each node looks for registrations that are due
 * @param claimMillis how long a node holds the registrations it took before another may take them
 * @param batchSize registrations taken per round
 */
record RegistrationSettings(int feeCents, boolean requiredForUsSms, long sandboxStageMillis,
    long pollMillis, long workerIntervalMillis, long claimMillis, int batchSize) {

  static RegistrationSettings from(AppConfig config) {
    return new RegistrationSettings(config.integer("registration.feeCents"),
        config.bool("registration.requiredForUsSms"),
        Math.round(config.decimal("registration.sandboxStageSeconds") * 1000),
        Math.round(config.decimal("registration.pollSeconds") * 1000),
        config.longValue("registration.workerIntervalMillis"),
        Math.round(config.decimal("registration.claimSeconds") * 1000),
        config.integer("registration.batchSize"));
  }
}
