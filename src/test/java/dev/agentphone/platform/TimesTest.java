package dev.agentphone.platform;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Timestamps on the wire are exactly what ISO_OFFSET_DATE_TIME writes for the instant in UTC. */
class TimesTest {
  private static String iso(Instant instant) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }

  @Test
  void writesWhatTheIsoFormatterWrites() {
    SplittableRandom random = new SplittableRandom(15);
    for (int i = 0; i < 200_000; i++) {
      long second = random.nextLong(-62_135_596_800L, 253_402_300_800L); // years 1 to 9999
      int nano = switch (i % 5) {
        case 0 -> 0;
        case 1 -> random.nextInt(1000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1000;
        case 3 -> random.nextInt(10) * 100_000_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant instant = Instant.ofEpochSecond(second, nano);
      assertThat(Times.format(instant)).isEqualTo(iso(instant));
      OffsetDateTime elsewhere = instant.atOffset(ZoneOffset.ofHours(-5));
      assertThat(Times.format(elsewhere)).isEqualTo(iso(instant));
    }
  }

  @Test
  void edgesOfTheDayAndOfTheFormat() {
    assertThat(Times.format(Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo("2026-12-01T00:00:00Z");
    assertThat(Times.format(Instant.parse("2026-12-01T23:59:59.999999999Z")))
        .isEqualTo("2026-12-01T23:59:59.999999999Z");
    assertThat(Times.format(Instant.parse("1969-12-31T23:59:59.5Z"))).isEqualTo("1969-12-31T23:59:59.5Z");
    assertThat(Times.format(Instant.parse("2024-02-29T12:00:00.120Z"))).isEqualTo("2024-02-29T12:00:00.12Z");
    Instant far = Instant.parse("+10000-01-01T00:00:00Z");
    assertThat(Times.format(far)).isEqualTo(iso(far));
    assertThat(Times.format((Instant) null)).isNull();
  }
}
