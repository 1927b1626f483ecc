package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.Failover;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The failovers the operator records: who took over from whom, and after how long without one. */
class LeaseHandoversTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final LeaseHandovers handovers = new LeaseHandovers();

  private static LeaseObservation held(String holder, Instant renewed) {
    return LeaseObservation.of(TestLeases.lease(holder, T0, renewed, 15, 0));
  }

  private static LeaseObservation released(Instant at) {
    return LeaseObservation.of(TestLeases.lease("", T0, at, 1, 0));
  }

  @Test
  void aReleaseThenANewHolder() {
    handovers.observed(held("pod-a", T0), T0);
    handovers.observed(held("pod-a", T0.plusSeconds(2)), T0.plusSeconds(2));
    handovers.observed(released(T0.plusSeconds(3)), T0.plusSeconds(3));
    handovers.observed(held("pod-b", T0.plusMillis(3031)), T0.plusMillis(3031));

    assertThat(handovers.recent())
        .containsExactly(
            new Failover("pod-b", "pod-a", "2026-12-01T10:00:03.031000Z", "31ms", "Released"));
  }

  @Test
  void anExpiryCountsFromTheEndOfTheLeaseNotFromWhenItWasNoticed() {
    handovers.observed(held("pod-a", T0), T0);
    handovers.observed(held("pod-a", T0), T0.plusSeconds(16)); // the expiry check, 1 s late
    handovers.observed(held("pod-b", T0.plusMillis(15_500)), T0.plusMillis(16_200));

    assertThat(handovers.recent())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getLeaderlessFor()).isEqualTo("1.2s");
              assertThat(f.getCause()).isEqualTo("Expired");
              assertThat(f.getPreviousLeader()).isEqualTo("pod-a");
            });
  }

  @Test
  void aNewHolderSeenBeforeTheOldLeaseRanOutTookItOver() {
    handovers.observed(held("pod-a", T0), T0);
    handovers.observed(held("pod-b", T0.plusSeconds(5)), T0.plusSeconds(5));

    assertThat(handovers.recent())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getLeaderlessFor()).isEqualTo("0ms");
              assertThat(f.getCause()).isEqualTo("TakenOver");
            });
  }

  @Test
  void theSameHolderBackAfterItsLeaseExpiredIsAFailoverToo() {
    handovers.observed(held("pod-a", T0), T0);
    handovers.observed(held("pod-a", T0), T0.plusSeconds(15));
    handovers.observed(held("pod-a", T0.plusSeconds(20)), T0.plusSeconds(20));

    assertThat(handovers.recent())
        .extracting(Failover::getLeader, Failover::getPreviousLeader, Failover::getLeaderlessFor)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("pod-a", "pod-a", "5s"));
  }

  @Test
  void renewalsAndAFirstHolderAreNoFailover() {
    handovers.observed(released(T0), T0); // first seen without a holder: no previous leader
    handovers.observed(held("pod-a", T0.plusSeconds(1)), T0.plusSeconds(1));
    handovers.observed(held("pod-a", T0.plusSeconds(3)), T0.plusSeconds(3));

    assertThat(handovers.recent()).isEmpty();
  }

  @Test
  void onlyTheLastFiveAreKeptNewestFirst() {
    Instant t = T0;
    handovers.observed(held("pod-0", t), t);
    for (int i = 1; i <= 7; i++) {
      t = t.plusSeconds(1);
      handovers.observed(released(t), t);
      t = t.plusSeconds(1);
      handovers.observed(held("pod-" + i, t), t);
    }

    assertThat(handovers.recent())
        .extracting(Failover::getLeader)
        .containsExactly("pod-7", "pod-6", "pod-5", "pod-4", "pod-3");
  }

  @Test
  void durationsReadAsGoPrintsThem() {
    assertThat(LeaseHandovers.duration(Duration.ofMillis(31))).isEqualTo("31ms");
    assertThat(LeaseHandovers.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(LeaseHandovers.duration(Duration.ofMillis(15_004))).isEqualTo("15.004s");
    assertThat(LeaseHandovers.duration(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(LeaseHandovers.duration(Duration.ofSeconds(125))).isEqualTo("2m5s");
  }
}
