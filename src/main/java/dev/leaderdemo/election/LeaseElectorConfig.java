package dev.leaderdemo.election;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Duration;

/**
 * One candidate's settings, with client-go's meaning and rules.
 *
 * @param leaseMetadata namespace, name, labels and owner of the Lease, as it is created when
 *     missing
 * @param leaseDuration how long the others wait, after they saw the record change, before they take
 *     a Lease that is not renewed
 * @param renewDeadline how long the leader goes on leading without a successful renewal
 * @param retryPeriod how often the leader renews, and how long a failed attempt waits
 */
public record LeaseElectorConfig(
    ObjectMeta leaseMetadata,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean releaseOnCancel) {

  /** client-go's jitter factor: its validation asks renewDeadline > 1.2 x retryPeriod. */
  private static final double JITTER_FACTOR = 1.2;

  public LeaseElectorConfig {
    if (identity == null || identity.isBlank()) {
      throw new IllegalArgumentException("the identity must not be empty");
    }
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException(
          "leaseDuration ("
              + leaseDuration.toSeconds()
              + "s) must be greater than renewDeadline ("
              + renewDeadline.toSeconds()
              + "s)");
    }
    if (renewDeadline.toNanos() <= JITTER_FACTOR * retryPeriod.toNanos()) {
      throw new IllegalArgumentException(
          "renewDeadline ("
              + renewDeadline.toSeconds()
              + "s) must be greater than 1.2 x retryPeriod ("
              + retryPeriod.toSeconds()
              + "s)");
    }
  }

  public String namespace() {
    return leaseMetadata.getNamespace();
  }

  public String leaseName() {
    return leaseMetadata.getName();
  }
}
