package dev.leaderdemo.reconciler;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes' metav1.Time format: RFC 3339 in UTC, whole seconds. */
final class KubernetesTime {

  private KubernetesTime() {}

  static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
