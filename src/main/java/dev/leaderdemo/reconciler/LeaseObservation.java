package dev.leaderdemo.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * What a Lease says about leadership. A holder counts only while renewTime + leaseDurationSeconds
 * lies ahead: a released Lease may keep its old holderIdentity (fabric8 leaves it out of the
 * release patch), and an expired one produces no watch event at all.
 */
public final class LeaseObservation {

  private final String holder;
  private final Instant acquireTime;
  private final Instant renewTime;
  private final Integer leaseDurationSeconds;
  private final int transitions;

  LeaseObservation(
      String holder,
      Instant acquireTime,
      Instant renewTime,
      Integer leaseDurationSeconds,
      int transitions) {
    this.holder = holder == null || holder.isBlank() ? null : holder;
    this.acquireTime = acquireTime;
    this.renewTime = renewTime;
    this.leaseDurationSeconds = leaseDurationSeconds;
    this.transitions = transitions;
  }

  public static LeaseObservation of(Lease lease) {
    LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
    return new LeaseObservation(
        spec.getHolderIdentity(),
        toInstant(spec.getAcquireTime()),
        toInstant(spec.getRenewTime()),
        spec.getLeaseDurationSeconds(),
        spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
  }

  private static Instant toInstant(ZonedDateTime time) {
    return time == null ? null : time.toInstant();
  }

  /** The holder whose lease is still valid at {@code now}. */
  public Optional<String> leaderAt(Instant now) {
    return expiresAt().filter(now::isBefore).flatMap(expiry -> Optional.ofNullable(holder));
  }

  /** When the recorded holder's claim runs out, if anybody holds it. */
  public Optional<Instant> expiresAt() {
    if (holder == null || renewTime == null || leaseDurationSeconds == null) {
      return Optional.empty();
    }
    return Optional.of(renewTime.plusSeconds(leaseDurationSeconds));
  }

  /**
   * How long the holder's claim has left at {@code now}; empty when nobody holds it or it has
   * expired.
   */
  public Optional<java.time.Duration> untilExpiry(Instant now) {
    return expiresAt().filter(now::isBefore).map(expiry -> java.time.Duration.between(now, expiry));
  }

  public Optional<String> holder() {
    return Optional.ofNullable(holder);
  }

  public Optional<Instant> acquireTime() {
    return Optional.ofNullable(acquireTime);
  }

  public Optional<Instant> renewTime() {
    return Optional.ofNullable(renewTime);
  }

  public int transitions() {
    return transitions;
  }

  /**
   * True when the two differ in anything but renewTime: a plain renewal changes nothing worth
   * reporting.
   */
  public boolean differsBeyondRenewal(LeaseObservation other) {
    return !Objects.equals(holder, other.holder)
        || !Objects.equals(acquireTime, other.acquireTime)
        || !Objects.equals(leaseDurationSeconds, other.leaseDurationSeconds)
        || transitions != other.transitions;
  }
}
