package dev.leaderdemo.election;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The Lease fields as client-go writes them, so that `kubectl get lease` reads the same. */
class ElectionRecordTest {

  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final ZonedDateTime ACQUIRED = ZonedDateTime.parse("2026-12-01T09:00:00Z");
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-01T10:00:00.25Z");

  @Test
  void aNewLeaseIsAcquiredAndRenewedNowWithNoTransition() {
    LeaseSpec spec = ElectionRecord.first("pod-a", LEASE, NOW).toSpec();

    assertThat(spec.getHolderIdentity()).isEqualTo("pod-a");
    assertThat(spec.getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(spec.getAcquireTime()).isEqualTo(NOW);
    assertThat(spec.getRenewTime()).isEqualTo(NOW);
    assertThat(spec.getLeaseTransitions()).isZero();
  }

  @Test
  void aRenewalMovesOnlyTheRenewTime() {
    ElectionRecord held = new ElectionRecord("pod-a", 15, ACQUIRED, ACQUIRED.plusSeconds(2), 4);

    assertThat(held.claimedBy("pod-a", LEASE, NOW))
        .isEqualTo(new ElectionRecord("pod-a", 15, ACQUIRED, NOW, 4));
  }

  @Test
  void aChangeOfHolderSetsAcquireTimeAndCountsATransition() {
    ElectionRecord held = new ElectionRecord("pod-a", 15, ACQUIRED, ACQUIRED.plusSeconds(2), 4);

    assertThat(held.claimedBy("pod-b", LEASE, NOW))
        .isEqualTo(new ElectionRecord("pod-b", 15, NOW, NOW, 5));
  }

  @Test
  void takingAReleasedLeaseCountsATransitionToo() {
    ElectionRecord released = new ElectionRecord("", 1, ACQUIRED, ACQUIRED, 4);

    assertThat(released.claimedBy("pod-b", LEASE, NOW))
        .isEqualTo(new ElectionRecord("pod-b", 15, NOW, NOW, 5));
  }

  @Test
  void aMissingHolderReadsAsReleased() {
    LeaseSpec spec = new LeaseSpec();
    spec.setLeaseDurationSeconds(1);

    ElectionRecord record = ElectionRecord.of(spec);

    assertThat(record.held()).isFalse();
    assertThat(record.holderIdentity()).isEmpty();
    assertThat(ElectionRecord.of(null).held()).isFalse();
  }
}
