package dev.leaderdemo.election;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.ZonedDateTime;

/**
 * The part of a Lease that leader election reads and writes, with client-go's meaning: the holder
 * ("" when released), how long its claim lasts, when it was acquired (set on each change of
 * holder), when it was last renewed, and how many times the holder changed.
 */
public record ElectionRecord(
    String holderIdentity,
    int leaseDurationSeconds,
    ZonedDateTime acquireTime,
    ZonedDateTime renewTime,
    int leaseTransitions) {

  public ElectionRecord {
    holderIdentity = holderIdentity == null ? "" : holderIdentity;
  }

  public static ElectionRecord of(LeaseSpec spec) {
    if (spec == null) {
      return new ElectionRecord("", 0, null, null, 0);
    }
    return new ElectionRecord(
        spec.getHolderIdentity(),
        spec.getLeaseDurationSeconds() == null ? 0 : spec.getLeaseDurationSeconds(),
        spec.getAcquireTime(),
        spec.getRenewTime(),
        spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions());
  }

  /** The record of a Lease that did not exist yet, as client-go creates it. */
  public static ElectionRecord first(String identity, Duration leaseDuration, ZonedDateTime now) {
    return new ElectionRecord(identity, (int) leaseDuration.toSeconds(), now, now, 0);
  }

  public boolean held() {
    return !holderIdentity.isEmpty();
  }

  public boolean heldBy(String identity) {
    return holderIdentity.equals(identity);
  }

  /**
   * This record once {@code identity} has acquired or renewed it: a renewal keeps acquireTime and
   * the transitions, a change of holder (from a released Lease too) sets acquireTime and counts one
   * transition more.
   */
  public ElectionRecord claimedBy(String identity, Duration leaseDuration, ZonedDateTime now) {
    int seconds = (int) leaseDuration.toSeconds();
    if (heldBy(identity)) {
      return new ElectionRecord(
          identity, seconds, acquireTime == null ? now : acquireTime, now, leaseTransitions);
    }
    return new ElectionRecord(identity, seconds, now, now, leaseTransitions + 1);
  }

  public LeaseSpec toSpec() {
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(holderIdentity);
    spec.setLeaseDurationSeconds(leaseDurationSeconds);
    spec.setAcquireTime(acquireTime);
    spec.setRenewTime(renewTime);
    spec.setLeaseTransitions(leaseTransitions);
    return spec;
  }
}
