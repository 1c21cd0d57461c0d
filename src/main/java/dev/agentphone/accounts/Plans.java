package dev.agentphone.accounts;

import dev.agentphone.platform.AppConfig;
import io.vertx.core.json.JsonObject;

/** Plans and their limits, from configuration ({@code plans.catalog}). */
public final class Plans {
  private final JsonObject catalog;
  private final String defaultPlan;
  private final int minuteSeconds;

  public Plans(AppConfig config) {
    this.catalog = config.object("plans.catalog");
    this.minuteSeconds = config.integer("plans.minuteSeconds", 60);
    this.defaultPlan = config.string("plans.default", "starter");
    if (!catalog.containsKey(defaultPlan)) {
      throw new IllegalStateException("plans.default names unknown plan " + defaultPlan);
    }
  }

  public String defaultPlan() {
    return defaultPlan;
  }

  /** {@code {numbers, messagesPerMonth, voiceMinutesPerMonth, maxCallDurationMinutes, concurrentCalls}}. */
  public JsonObject limits(String plan) {
    return plan(plan).getJsonObject("limits", new JsonObject());
  }

  /** An integer limit of the plan; {@code Integer.MAX_VALUE} when the plan sets none. */
  public int limit(String plan, String name) {
    return limits(plan).getInteger(name, Integer.MAX_VALUE);
  }

  /**
   * Seconds in a plan minute (voice minutes per month, maximum call duration): 60, shortened only
   * by tests so a call can reach its maximum duration in seconds.
   */
  public int minuteSeconds() {
    return minuteSeconds;
  }

  public int monthlyPriceCents(String plan) {
    return plan(plan).getInteger("monthlyPriceCents", 0);
  }

  private JsonObject plan(String plan) {
    JsonObject found = catalog.getJsonObject(plan);
    return found != null ? found : catalog.getJsonObject(defaultPlan);
  }
}
