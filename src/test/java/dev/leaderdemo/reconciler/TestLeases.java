package dev.leaderdemo.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Leases as the demo pods write them (15 s), for the tests of what the operator reads of them. */
final class TestLeases {

  private TestLeases() {}

  /** A Lease named {@code name} held by {@code holder} since {@code acquired}. */
  static LeaseBuilder lease(
      String name, String holder, Instant acquired, Instant renewed, int transitions) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withAcquireTime(ZonedDateTime.ofInstant(acquired, ZoneOffset.UTC))
        .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
        .withLeaseDurationSeconds(15)
        .withLeaseTransitions(transitions)
        .endSpec();
  }
}
