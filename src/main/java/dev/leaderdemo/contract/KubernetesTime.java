package dev.leaderdemo.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Kubernetes' time formats: metav1.Time (RFC 3339 in UTC, whole seconds), as statuses, conditions
 * and Events carry it, and metav1.MicroTime (microseconds), as a Lease's times are.
 */
public final class KubernetesTime {

  private KubernetesTime() {}

  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static String micro(Instant instant) {
    return MICRO.format(instant);
  }

  /**
   * A Time or MicroTime as read from the API server, as {@link ZonedDateTime#parse} reads it; null
   * for text that is no such time. The form the API server writes, UTC with up to nine digits of
   * fraction, is read by hand: a Lease's two times are read 1000 times a second with 1000
   * LeaderDemos, and the formatter's general parser was a fifth of the watch thread's CPU, with as
   * much garbage again.
   */
  public static ZonedDateTime parse(String text) {
    ZonedDateTime utc = parseUtc(text);
    if (utc != null) {
      return utc;
    }
    try {
      return ZonedDateTime.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static final int[] SCALE = {
    0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /** yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z, or null for anything else (the caller tries the formatter). */
  private static ZonedDateTime parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21;
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int digits = digits(s, 20, fraction);
      if (digits < 0) {
        return null;
      }
      nanos = digits * SCALE[fraction];
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return null;
    }
    try {
      return ZonedDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number of s[from, from + length), or -1 when a character is no digit. */
  private static int digits(String s, int from, int length) {
    int value = 0;
    for (int i = from; i < from + length; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
