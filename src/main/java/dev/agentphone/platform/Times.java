package dev.agentphone.platform;

import java.time.Instant;
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
    return time == null ? null : WIRE.format(time.withOffsetSameInstant(ZoneOffset.UTC));
  }

  public static String format(Instant time) {
    return time == null ? null : WIRE.format(time.atOffset(ZoneOffset.UTC));
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
