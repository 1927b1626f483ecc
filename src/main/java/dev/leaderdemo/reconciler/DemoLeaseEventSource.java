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
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the Leases that demo pods hold. The operator does not own them (the pods create them), so
 * they map to their LeaderDemo by name and label. Only what the status reports triggers a
 * reconcile: a change of holder, acquisition, duration or transitions, and an expiry.
 *
 * <p>An expiry produces no watch event, and renewals are filtered out, so {@link LeaseExpiryChecks}
 * keeps one pending check per Lease for the instant it would expire; only a Lease that really
 * expired triggers a reconcile. Rescheduling the reconcile instead would run the whole workflow
 * once per lease duration for every LeaderDemo.
 */
final class DemoLeaseEventSource extends InformerEventSource<Lease, LeaderDemo> {

  static final String NAME = "demo-lease";

  private final ScheduledExecutorService timer = DaemonThreads.scheduler("demo-lease-expiry");
  private final LeaseExpiryChecks expiry;

  private DemoLeaseEventSource(
      InformerEventSourceConfiguration<Lease> configuration,
      EventSourceContext<LeaderDemo> context,
      Clock clock) {
    super(configuration, context);
    this.expiry =
        new LeaseExpiryChecks(
            clock,
            (task, delay) -> timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
            this::get,
            this::expired);
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
    expiry.watch(lease);
  }

  @Override
  public void onUpdate(Lease old, Lease lease) {
    super.onUpdate(old, lease);
    expiry.watch(lease);
  }

  @Override
  public void onDelete(Lease lease, boolean deletedFinalStateUnknown) {
    super.onDelete(lease, deletedFinalStateUnknown);
    expiry.forget(lease);
  }

  private void expired(Lease lease) {
    configuration()
        .getSecondaryToPrimaryMapper()
        .toPrimaryResourceIDs(lease)
        .forEach(demo -> getEventHandler().handleEvent(new Event(demo)));
  }

  @Override
  public void stop() {
    timer.shutdownNow();
    super.stop();
  }
}
