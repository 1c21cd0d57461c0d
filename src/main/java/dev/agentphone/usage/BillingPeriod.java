package dev.agentphone.usage;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** A span of whole UTC days {@code [start, end)}: the billing month, a week or a year. */
public record BillingPeriod(LocalDate start, LocalDate end) {

  /** The calendar month (UTC) that contains {@code now}: the billing period. */
  public static BillingPeriod month(OffsetDateTime now) {
    LocalDate first = utcDay(now).withDayOfMonth(1);
    return new BillingPeriod(first, first.plusMonths(1));
  }

  /** The week (Monday to Sunday, UTC) that contains {@code now}. */
  public static BillingPeriod week(OffsetDateTime now) {
    LocalDate monday = utcDay(now).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return new BillingPeriod(monday, monday.plusWeeks(1));
  }

  /** The calendar year (UTC) that contains {@code now}. */
  public static BillingPeriod year(OffsetDateTime now) {
    LocalDate first = utcDay(now).withDayOfYear(1);
    return new BillingPeriod(first, first.plusYears(1));
  }

  public static BillingPeriod named(String period, OffsetDateTime now) {
    return switch (period) {
      case "week" -> week(now);
      case "year" -> year(now);
      default -> month(now);
    };
  }

  public static LocalDate utcDay(OffsetDateTime at) {
    return at.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
  }

  public OffsetDateTime startsAt() {
    return start.atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  public OffsetDateTime endsAt() {
    return end.atStartOfDay().atOffset(ZoneOffset.UTC);
  }
}
