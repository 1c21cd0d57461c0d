package dev.agentphone.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Timestamps on the wire: ISO-8601 in UTC, as the original service's clients parse them. */
public final class Times {
  private static final DateTimeFormatter WIRE = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private Times() {
  }

  public static String format(OffsetDateTime time) {
    return time == null ? null : format(time.toEpochSecond(), time.getNano());
  }

  public static String format(Instant time) {
    return time == null ? null : format(time.getEpochSecond(), time.getNano());
  }

  /**
   * What {@code ISO_OFFSET_DATE_TIME} writes for the instant in UTC (seconds always, the fraction
   * without trailing zeros and none when zero, then {@code Z}), written directly: every answer
   * carries timestamps, and the general formatter was a tenth of a list's event-loop time.
   */
  private static String format(long epochSecond, int nano) {
    long days = Math.floorDiv(epochSecond, 86_400);
    int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
    LocalDate date = LocalDate.ofEpochDay(days);
    int year = date.getYear();
    if (year < 1 || year > 9999) {
      // signs and wider years: the formatter's own rules
      return WIRE.format(Instant.ofEpochSecond(epochSecond, nano).atOffset(ZoneOffset.UTC));
    }
    char[] out = new char[30];
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, secondOfDay % 60, 2);
    int end = 19;
    if (nano != 0) {
      int width = 9;
      int fraction = nano;
      while (fraction % 10 == 0) {
        fraction /= 10;
        width--;
      }
      out[end++] = '.';
      digits(out, end, fraction, width);
      end += width;
    }
    out[end++] = 'Z';
    return new String(out, 0, end);
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  public static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }

  /** Parses an ISO-8601 timestamp; one without an offset is taken as UTC. Null when unparseable. */
  public static OffsetDateTime parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
