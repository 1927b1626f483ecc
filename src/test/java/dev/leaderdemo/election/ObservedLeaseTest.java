package dev.leaderdemo.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * When a candidate may take a Lease: a full lease duration after it saw the record change, on its
 * own clock, whatever the times written in the record say.
 */
class ObservedLeaseTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();
  private static final ZonedDateTime WALL = ZonedDateTime.parse("2026-12-01T10:00:00Z");

  private static ElectionRecord heldBy(String holder, ZonedDateTime renewTime) {
    return new ElectionRecord(holder, 15, WALL, renewTime, 3);
  }

  @Test
  void aLeaseRenewedByAnotherIsTakenOnlyAFullDurationAfterTheChangeWasSeen() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL), "10", 100 * SECOND);

    assertThat(seen.claimableBy("pod-b", 100 * SECOND)).isFalse();
    assertThat(seen.claimableBy("pod-b", 115 * SECOND - 1)).isFalse();
    assertThat(seen.claimableBy("pod-b", 115 * SECOND)).isTrue();
  }

  /**
   * The holder's clock runs an hour behind this candidate's (or this one's runs ahead): its
   * renewTime is an hour old when written. fabric8 would count the Lease as expired at once.
   */
  @Test
  void aRenewTimeInThePastDoesNotMakeARenewedLeaseFree() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL.minusHours(1)), "10", 0);
    for (int renewal = 1; renewal <= 20; renewal++) {
      long now = renewal * 2 * SECOND;
      assertThat(seen.claimableBy("pod-b", now)).as("renewal %d", renewal).isFalse();
      seen =
          seen.then(
              heldBy("pod-a", WALL.minusHours(1).plusSeconds(2L * renewal)), "1" + renewal, now);
    }
    assertThat(seen.claimableBy("pod-b", 40 * SECOND + 15 * SECOND)).isTrue();
  }

  /** The holder's clock runs ahead: a candidate still takes over one duration after the change. */
  @Test
  void aRenewTimeInTheFutureDoesNotDelayTheTakeover() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL.plusHours(1)), "10", 0);

    assertThat(seen.claimableBy("pod-b", 15 * SECOND)).isTrue();
  }

  @Test
  void aWriteThatLeavesTheRecordAsItWasDoesNotRestartTheCount() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL), "10", 0);

    ObservedLease relabelled = seen.then(heldBy("pod-a", WALL), "11", 10 * SECOND);

    assertThat(relabelled.resourceVersion()).isEqualTo("11");
    assertThat(relabelled.claimableBy("pod-b", 15 * SECOND)).isTrue();
    ObservedLease renewed = seen.then(heldBy("pod-a", WALL.plusSeconds(2)), "12", 10 * SECOND);
    assertThat(renewed.claimableBy("pod-b", 15 * SECOND)).isFalse();
    assertThat(renewed.claimableBy("pod-b", 25 * SECOND)).isTrue();
  }

  @Test
  void aReleasedLeaseIsFreeAtOnce() {
    ObservedLease released =
        new ObservedLease(new ElectionRecord("", 1, WALL, WALL, 3), "10", 100 * SECOND);

    assertThat(released.claimableBy("pod-b", 100 * SECOND)).isTrue();
  }

  @Test
  void theHolderMayAlwaysRenewItsOwnLease() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL), "10", 100 * SECOND);

    assertThat(seen.claimableBy("pod-a", 100 * SECOND)).isTrue();
  }

  @Test
  void theMonotonicClockMayWrap() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL), "10", Long.MAX_VALUE - SECOND);

    assertThat(seen.claimableBy("pod-b", Long.MAX_VALUE)).isFalse();
    assertThat(seen.claimableBy("pod-b", Long.MIN_VALUE + 14 * SECOND)).isTrue();
  }

  @Test
  void anOlderResourceVersionIsRecognised() {
    ObservedLease seen = new ObservedLease(heldBy("pod-a", WALL), "120", 0);

    assertThat(seen.isNewerThan("119")).isTrue();
    assertThat(seen.isNewerThan("120")).isFalse();
    assertThat(seen.isNewerThan("1000")).isFalse();
    assertThat(seen.isNewerThan("opaque")).isFalse();
  }
}
