package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.dependent.DemoResources;
import dev.leaderdemo.process.DaemonThreads;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches the Leases that demo pods hold. The operator does not own them (the pods create them), so
 * they map to their LeaderDemo by name and label. Only what the status reports triggers a
 * reconcile: a change of holder, acquisition, duration or transitions, and an expiry.
 *
 * <p>An expiry produces no watch event, and renewals are filtered out, so this source keeps one
 * pending check per Lease for the instant it would expire. A check that finds the Lease renewed in
 * the cache re-arms for the new expiry, at the cost of a cache read; only a Lease that really
 * expired triggers a reconcile. Rescheduling the reconcile instead would run the whole workflow
 * once per lease duration for every LeaderDemo.
 */
final class DemoLeaseEventSource extends InformerEventSource<Lease, LeaderDemo> {

  static final String NAME = "demo-lease";

  /** A check at the very instant of expiry could run a hair early; this puts it just after. */
  private static final Duration MARGIN = Duration.ofMillis(100);

  private final Clock clock;
  private final Map<ResourceID, ScheduledFuture<?>> checks = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = DaemonThreads.scheduler("demo-lease-expiry");

  private DemoLeaseEventSource(
      InformerEventSourceConfiguration<Lease> configuration,
      EventSourceContext<LeaderDemo> context,
      Clock clock) {
    super(configuration, context);
    this.clock = clock;
  }

  static DemoLeaseEventSource create(EventSourceContext<LeaderDemo> context, Clock clock) {
    return new DemoLeaseEventSource(configuration(context.getPrimaryCache()), context, clock);
  }

  /**
   * Renewals filtered out; a Lease maps to the LeaderDemo that labelled it and to every one that
   * names it.
   */
  static InformerEventSourceConfiguration<Lease> configuration(
      IndexedResourceCache<LeaderDemo> leaderDemos) {
    return InformerEventSourceConfiguration.from(Lease.class, LeaderDemo.class)
        .withName(NAME)
        .withLabelSelector(DemoLabels.LEASE_SELECTOR)
        .withSecondaryToPrimaryMapper(lease -> toLeaderDemos(lease, leaderDemos))
        .withPrimaryToSecondaryMapper(
            (LeaderDemo demo) ->
                Set.of(
                    new ResourceID(
                        DemoResources.leaseName(demo), demo.getMetadata().getNamespace())))
        .withOnUpdateFilter(
            (updated, old) ->
                LeaseObservation.of(updated).differsBeyondRenewal(LeaseObservation.of(old)))
        .build();
  }

  static Set<ResourceID> toLeaderDemos(Lease lease, IndexedResourceCache<LeaderDemo> leaderDemos) {
    Set<ResourceID> ids = new HashSet<>(labelledLeaderDemo(lease));
    leaderDemos
        .byIndex(LeaseClaims.INDEX, LeaseClaims.indexKey(lease))
        .forEach(d -> ids.add(ResourceID.fromResource(d)));
    return ids;
  }

  private static Set<ResourceID> labelledLeaderDemo(Lease lease) {
    String instance =
        lease.getMetadata().getLabels() == null
            ? null
            : lease.getMetadata().getLabels().get(DemoLabels.INSTANCE);
    return instance == null
        ? Set.of()
        : Set.of(new ResourceID(instance, lease.getMetadata().getNamespace()));
  }

  @Override
  public void onAdd(Lease lease) {
    super.onAdd(lease);
    watchExpiry(lease);
  }

  @Override
  public void onUpdate(Lease old, Lease lease) {
    super.onUpdate(old, lease);
    watchExpiry(lease);
  }

  @Override
  public void onDelete(Lease lease, boolean deletedFinalStateUnknown) {
    super.onDelete(lease, deletedFinalStateUnknown);
    ScheduledFuture<?> check = checks.remove(ResourceID.fromResource(lease));
    if (check != null) {
      check.cancel(false);
    }
  }

  /**
   * Arms a check for the holder's expiry, unless one is pending already (it re-arms when it runs).
   */
  private void watchExpiry(Lease lease) {
    ResourceID id = ResourceID.fromResource(lease);
    LeaseObservation.of(lease)
        .untilExpiry(clock.instant())
        .ifPresent(
            delay ->
                checks.computeIfAbsent(
                    id,
                    key ->
                        timer.schedule(
                            () -> check(key),
                            delay.plus(MARGIN).toMillis(),
                            TimeUnit.MILLISECONDS)));
  }

  private void check(ResourceID id) {
    checks.remove(id);
    get(id)
        .ifPresent(
            lease -> {
              LeaseObservation observed = LeaseObservation.of(lease);
              if (observed.holder().isPresent()
                  && observed.untilExpiry(clock.instant()).isEmpty()) {
                configuration()
                    .getSecondaryToPrimaryMapper()
                    .toPrimaryResourceIDs(lease)
                    .forEach(demo -> getEventHandler().handleEvent(new Event(demo)));
              } else {
                watchExpiry(lease);
              }
            });
  }

  @Override
  public void stop() {
    timer.shutdownNow();
    super.stop();
  }
}
