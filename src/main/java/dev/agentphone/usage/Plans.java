package dev.agentphone.usage;

import dev.agentphone.platform.ApiError;
import dev.agentphone.platform.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;

/**
 * Plans and their limits, from configuration ({@code plans}): the one place that knows them.
 * Built once at start-up and shared. A limit a plan does not set is unlimited.
 */
public final class Plans {
  /**
   * The plan of account {@code $1}. The accounts domain owns the table; usage, a read model,
   * reads the plan here and nowhere else. A sub-account has its parent's plan, read live, so a
   * parent's change of plan applies to its children at once. A deleted sub-account has none
   * (null), and every check that asks for it refuses it as not found.
   */
  static final String PLAN_OF_ACCOUNT = "SELECT CASE WHEN a.deleted_at IS NULL "
      + "THEN coalesce(p.plan, a.plan) END FROM accounts a "
      + "LEFT JOIN accounts p ON p.id = a.parent_account_id WHERE a.id = $1";

  private final JsonObject catalog;
  private final String defaultPlan;
  private final int minuteSeconds;

  public Plans(AppConfig config) {
    this.catalog = config.object("plans.catalog");
    this.minuteSeconds = config.integer("plans.minuteSeconds");
    this.defaultPlan = config.string("plans.default");
    if (!catalog.containsKey(defaultPlan)) {
      throw new IllegalStateException("plans.default names unknown plan " + defaultPlan);
    }
  }

  /** A plan's name and limits, as the checks use them. */
  public record Limits(String plan, int numbers, int messagesPerMonth, int voiceMinutesPerMonth,
      Duration maxCallDuration, int concurrentCalls) {
  }

  /** The plan of an account, read through {@code db} (inside a caller's transaction if need be). */
  public Future<Limits> ofAccount(SqlClient db, String accountId) {
    return db.preparedQuery(PLAN_OF_ACCOUNT).execute(Tuple.of(accountId))
        .map(rows -> limits(rows.size() == 0 ? null : rows.iterator().next().getString(0)));
  }

  public Limits limits(String plan) {
    return new Limits(plan, limit(plan, "numbers"), limit(plan, "messagesPerMonth"),
        limit(plan, "voiceMinutesPerMonth"), maxCallDuration(plan), limit(plan, "concurrentCalls"));
  }

  public String defaultPlan() {
    return defaultPlan;
  }

  /** An integer limit of the plan; {@code Integer.MAX_VALUE} when the plan sets none. */
  int limit(String plan, String name) {
    return plan(plan).getJsonObject("limits", new JsonObject()).getInteger(name, Integer.MAX_VALUE);
  }

  /**
   * How long a call may last ({@code maxCallDurationMinutes}); null when the plan sets none.
   * Fractions of a minute count (tests set a limit of a second or so).
   */
  private Duration maxCallDuration(String plan) {
    Object minutes = plan(plan).getJsonObject("limits", new JsonObject())
        .getValue("maxCallDurationMinutes");
    if (!(minutes instanceof Number n) || n.doubleValue() <= 0) {
      return null;
    }
    return Duration.ofMillis(Math.round(n.doubleValue() * minuteSeconds * 1000));
  }

  /**
   * Started minutes: call seconds rounded up to whole plan minutes. A plan minute is 60 seconds,
   * shortened only by tests ({@code plans.minuteSeconds}) so limits are reached in seconds.
   */
  public long minutes(long seconds) {
    return (seconds + minuteSeconds - 1) / minuteSeconds;
  }

  /** A plan's yes/no setting {@code name} ({@code plans.catalog.<plan>.<name>}); null when unset. */
  public Boolean option(String plan, String name) {
    Object value = plan(plan).getValue(name);
    return value instanceof Boolean b ? b : null;
  }

  /** True when some plan of the catalog sets {@code name} to true. */
  public boolean anyPlanSets(String name) {
    return catalog.fieldNames().stream()
        .anyMatch(plan -> Boolean.TRUE.equals(catalog.getJsonObject(plan).getValue(name)));
  }

  public int monthlyPriceCents(String plan) {
    return plan(plan).getInteger("monthlyPriceCents", 0);
  }

  private JsonObject plan(String plan) {
    if (plan == null) {
      // what PLAN_OF_ACCOUNT reads for a sub-account deleted while a request of it was under way
      throw ApiError.notFound("Sub-account");
    }
    JsonObject found = catalog.getJsonObject(plan);
    return found != null ? found : catalog.getJsonObject(defaultPlan);
  }
}
