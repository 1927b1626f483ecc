package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/**
 * The event source as configured: renewals, the bulk of Lease traffic, never become a reconcile.
 */
class DemoLeaseEventSourceTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

  @SuppressWarnings("unchecked")
  private final OnUpdateFilter<Lease> filter =
      (OnUpdateFilter<Lease>)
          DemoLeaseEventSource.configuration(null).getInformerConfig().getOnUpdateFilter();

  private static Lease lease(String holder, Instant renewed, int transitions) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("demo")
        .withNamespace("ns")
        .withLabels(DemoLabels.lease("demo"))
        .withResourceVersion(renewed.toString())
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
  void aRenewalIsFilteredOut() {
    assertThat(filter).isNotNull();
    assertThat(filter.accept(lease("pod-a", T0.plusSeconds(2), 1), lease("pod-a", T0, 1)))
        .isFalse();
  }

  @Test
  void aNewHolderOrTransitionGoesThrough() {
    assertThat(filter.accept(lease("pod-b", T0.plusSeconds(2), 2), lease("pod-a", T0, 1))).isTrue();
    assertThat(filter.accept(lease(null, T0.plusSeconds(2), 1), lease("pod-a", T0, 1))).isTrue();
  }
}
