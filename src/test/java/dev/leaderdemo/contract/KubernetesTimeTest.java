package dev.leaderdemo.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KubernetesTimeTest {

  /** What the formatter's general parser makes of the text, null where it refuses it. */
  private static ZonedDateTime byTheFormatter(String text) {
    try {
      return ZonedDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @Test
  void readsEveryFormTheApiServerWritesAsTheFormatterDoes() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextInt(2_000_000_000) + 1_000_000_000L, random.nextInt(1_000_000_000));
      for (String text :
          new String[] {
            KubernetesTime.format(instant), // metav1.Time
            KubernetesTime.micro(instant), // metav1.MicroTime
            instant.toString(), // whatever fraction it has
          }) {
        assertThat(KubernetesTime.parse(text)).as(text).isEqualTo(byTheFormatter(text));
      }
    }
  }

  @Test
  void readsTheMicroTimeOfALease() {
    assertThat(KubernetesTime.parse("2026-12-01T22:36:09.775123Z"))
        .isEqualTo(ZonedDateTime.of(2026, 12, 1, 22, 36, 9, 775_123_000, ZoneOffset.UTC));
  }

  @Test
  void leavesOtherFormsToTheFormatterAndRefusesWhatIsNoTime() {
    for (String text :
        new String[] {
          "2026-12-01T22:36:09+01:00",
          "2026-12-01T22:36:09.5-05:30",
          "2026-12-01T22:36:09z",
          "2026-02-30T10:00:00Z",
          "2026-12-01T24:00:00Z",
          "2026-12-01T22:36:09.Z",
          "2026-12-01T22:36:09.1234567890Z",
          "2026-12-01 22:36:09Z",
          "2026-1a-01T22:36:09Z",
          "+12026-12-01T22:36:09Z",
          "yesterday",
          ""
        }) {
      assertThat(KubernetesTime.parse(text)).as(text).isEqualTo(byTheFormatter(text));
    }
    assertThat(KubernetesTime.parse("2026-12-01T22:36:09+01:00")).isNotNull();
    assertThat(KubernetesTime.parse("2026-02-30T10:00:00Z")).isNull();
  }
}
