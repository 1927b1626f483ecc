package dev.leaderdemo.election;

import java.time.Duration;

/**
 * A Lease record as one candidate saw it, and when it last saw the record change, on its own
 * monotonic clock. Expiry is counted from that moment, as client-go counts it, and never from the
 * renewTime written in the record: that is the holder's clock, and a candidate whose clock runs
 * ahead of the holder's would otherwise take a Lease that is still being renewed.
 */
public record ObservedLease(ElectionRecord record, String resourceVersion, long observedAtNanos) {

  /**
   * This observation followed by {@code next}, seen at {@code nowNanos}: the moment of observation
   * moves only when the record changed, not for a write that left the record as it was.
   */
  public ObservedLease then(ElectionRecord next, String nextResourceVersion, long nowNanos) {
    return new ObservedLease(
        next, nextResourceVersion, next.equals(record) ? observedAtNanos : nowNanos);
  }

  /**
   * When a candidate that does not hold it may take the Lease: a full lease duration after it saw
   * the record change.
   */
  public long expiresAtNanos() {
    return observedAtNanos + Duration.ofSeconds(record.leaseDurationSeconds()).toNanos();
  }

  /** Whether {@code identity} may write itself into the Lease at {@code nowNanos}. */
  public boolean claimableBy(String identity, long nowNanos) {
    return !record.held() || record.heldBy(identity) || nowNanos - expiresAtNanos() >= 0;
  }

  /**
   * Whether a watch event with {@code otherVersion} is older than this observation. Resource
   * versions of one object grow with each write (etcd's revision); a version that is not a number
   * counts as newer, so nothing is ever ignored on a server that does not number them.
   */
  public boolean isNewerThan(String otherVersion) {
    try {
      return Long.parseLong(resourceVersion) > Long.parseLong(otherVersion);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
