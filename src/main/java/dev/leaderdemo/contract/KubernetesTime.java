package dev.leaderdemo.contract;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
}
