package dev.leaderdemo.reconciler;

import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Leases as demo pods write them: the Lease "demo" in namespace "ns", labelled for LeaderDemo demo.
 */
final class TestLeases {

  private TestLeases() {}

  /**
   * @param holder null for a released Lease
   * @param renewed also the resourceVersion, so that each renewal is another version
   */
  static Lease lease(
      String holder, Instant acquired, Instant renewed, int durationSeconds, int transitions) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("demo")
        .withNamespace("ns")
        .withLabels(DemoLabels.lease("demo"))
        .withResourceVersion(renewed.toString())
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withAcquireTime(ZonedDateTime.ofInstant(acquired, ZoneOffset.UTC))
        .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
        .withLeaseDurationSeconds(durationSeconds)
        .withLeaseTransitions(transitions)
        .endSpec()
        .build();
  }
}
