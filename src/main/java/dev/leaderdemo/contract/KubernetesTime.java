package dev.leaderdemo.contract;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Kubernetes' metav1.Time format: RFC 3339 in UTC, whole seconds, as statuses, conditions and
 * Events carry it.
 */
public final class KubernetesTime {

  private KubernetesTime() {}

  public static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
