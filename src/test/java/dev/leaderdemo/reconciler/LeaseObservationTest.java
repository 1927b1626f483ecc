package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LeaseObservationTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private static Lease lease(String holder, Instant renewed, int transitions) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("l")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withAcquireTime(ZonedDateTime.ofInstant(T0, ZoneOffset.UTC))
        .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
        .withLeaseDurationSeconds(15)
        .withLeaseTransitions(transitions)
        .endSpec()
        .build();
  }

  @Test
  void aLeaseIsHeldUntilRenewTimePlusDuration() {
    LeaseObservation lease = LeaseObservation.of(lease("a", T0, 0));
    assertThat(lease.leaderAt(T0.plusSeconds(14))).contains("a");
    assertThat(lease.leaderAt(T0.plusSeconds(15))).isEmpty();
    assertThat(lease.expiresAt()).contains(T0.plusSeconds(15));
    assertThat(lease.untilExpiry(T0.plusSeconds(5))).contains(java.time.Duration.ofSeconds(10));
    assertThat(lease.untilExpiry(T0.plusSeconds(15))).isEmpty();
  }

  @Test
  void anEmptyHolderIsNoHolder() {
    assertThat(LeaseObservation.of(lease("", T0, 0)).leaderAt(T0)).isEmpty();
    assertThat(LeaseObservation.of(lease("", T0, 0)).expiresAt()).isEmpty();
    assertThat(LeaseObservation.of(lease("", T0, 0)).untilExpiry(T0)).isEmpty();
    assertThat(LeaseObservation.of(new LeaseBuilder().build()).leaderAt(T0)).isEmpty();
  }

  @Test
  void aRenewalAloneIsNotAChangeWorthReporting() {
    LeaseObservation before = LeaseObservation.of(lease("a", T0, 1));
    assertThat(LeaseObservation.of(lease("a", T0.plusSeconds(2), 1)).differsBeyondRenewal(before))
        .isFalse();
    assertThat(LeaseObservation.of(lease("b", T0.plusSeconds(2), 2)).differsBeyondRenewal(before))
        .isTrue();
    assertThat(LeaseObservation.of(lease(null, T0.plusSeconds(2), 1)).differsBeyondRenewal(before))
        .isTrue();
  }
}
