package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Instant;
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

  @Test
  void aRenewalIsFilteredOut() {
    assertThat(filter).isNotNull();
    assertThat(
            filter.accept(
                TestLeases.lease("pod-a", T0, T0.plusSeconds(2), 15, 1),
                TestLeases.lease("pod-a", T0, T0, 15, 1)))
        .isFalse();
  }

  @Test
  void aNewHolderOrTransitionGoesThrough() {
    assertThat(
            filter.accept(
                TestLeases.lease("pod-b", T0, T0.plusSeconds(2), 15, 2),
                TestLeases.lease("pod-a", T0, T0, 15, 1)))
        .isTrue();
    assertThat(
            filter.accept(
                TestLeases.lease(null, T0, T0.plusSeconds(2), 15, 1),
                TestLeases.lease("pod-a", T0, T0, 15, 1)))
        .isTrue();
  }
}
