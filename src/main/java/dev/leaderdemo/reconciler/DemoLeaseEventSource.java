package dev.leaderdemo.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.apiserver.CollectionWatch;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.dependent.DemoResources;
import dev.leaderdemo.process.DaemonThreads;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Watches the Leases that demo pods hold. The operator does not own them (the pods create them), so
 * they map to their LeaderDemo by name and label. Only what the status reports triggers a
 * reconcile: a change of holder, acquisition, duration or transitions, and an expiry.
 *
 * <p>Not an informer: with 1000 LeaderDemos their Leases change 500 times a second, almost all of
 * it renewals that change nothing the status shows. Decoding each into fabric8's model with its
 * managedFields, and keeping those in an informer's cache, cost the operator 10 % of a core and the
 * largest part of its heap. This source reads the watch with a streaming parser, drops the
 * managedFields unread, and keeps a Lease of only the fields the reconciler reads ({@link
 * WatchedLeases}).
 *
 * <p>An expiry produces no watch event, and renewals are filtered out, so {@link LeaseExpiryChecks}
 * keeps one pending check per Lease for the instant it would expire; only a Lease that really
 * expired triggers a reconcile. Rescheduling the reconcile instead would run the whole workflow
 * once per lease duration for every LeaderDemo.
 */
final class DemoLeaseEventSource extends AbstractEventSource<Lease, LeaderDemo>
    implements CollectionWatch.Handler {

  static final String NAME = "demo-lease";

  /** As long as JOSDK waits for an informer's first list before it gives up starting. */
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

  /** Longer than the watch's longest backoff, so that one reconnection does not fail /healthz. */
  private static final Duration UNHEALTHY_AFTER = Duration.ofSeconds(30);

  private static final String ALL_LEASES = "/apis/coordination.k8s.io/v1/leases";

  private final ApiServer api;
  private final Function<String, List<LeaderDemo>> claimants;
  private final Clock clock;
  private final Map<ResourceID, Lease> leases = new ConcurrentHashMap<>();
  private final Map<ResourceID, LeaseHandovers> handovers = new ConcurrentHashMap<>();
  private final CountDownLatch synced = new CountDownLatch(1);

  private final ScheduledExecutorService timer = DaemonThreads.scheduler("demo-lease-expiry");
  private final LeaseExpiryChecks expiry;
  private volatile CollectionWatch watch;

  /**
   * @param claimants the LeaderDemos that name a Lease, by {@link LeaseClaims#indexKey(Lease)}
   */
  DemoLeaseEventSource(ApiServer api, Function<String, List<LeaderDemo>> claimants, Clock clock) {
    super(Lease.class, NAME);
    this.api = api;
    this.claimants = claimants;
    this.clock = clock;
    this.expiry =
        new LeaseExpiryChecks(
            clock,
            (task, delay) -> timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
            id -> Optional.ofNullable(leases.get(id)),
            this::expired);
  }

  /** Once: an operator replica that stops leading exits, so a stopped source never starts again. */
  @Override
  public synchronized void start() throws OperatorException {
    watch = CollectionWatch.labelled(api, ALL_LEASES, DemoLabels.LEASE_SELECTOR, NAME, this);
    watch.start();
    try {
      if (!synced.await(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        watch.close();
        throw new OperatorException(
            "could not list the demo Leases within " + SYNC_TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      watch.close();
      throw new OperatorException("interrupted while listing the demo Leases", e);
    }
    super.start();
  }

  @Override
  public synchronized void stop() throws OperatorException {
    if (watch != null) {
      watch.close();
    }
    timer.shutdownNow();
    super.stop();
  }

  /** As an informer's: unhealthy while it cannot list or watch, but not for one reconnection. */
  @Override
  public Status getStatus() {
    CollectionWatch watch = this.watch;
    if (watch == null || !isRunning()) {
      return Status.UNKNOWN;
    }
    return watch.failingFor().compareTo(UNHEALTHY_AFTER) > 0 ? Status.UNHEALTHY : Status.HEALTHY;
  }

  @Override
  public Set<Lease> getSecondaryResources(LeaderDemo demo) {
    Lease lease = leases.get(leaseId(demo));
    return lease == null ? Set.of() : Set.of(lease);
  }

  /** The changes of leader seen in the demo's Lease, newest first. */
  List<Failover> failovers(LeaderDemo demo) {
    LeaseHandovers seen = handovers.get(leaseId(demo));
    if (seen == null) {
      return List.of();
    }
    synchronized (seen) {
      return seen.recent();
    }
  }

  private static ResourceID leaseId(LeaderDemo demo) {
    return new ResourceID(DemoResources.leaseName(demo), demo.getMetadata().getNamespace());
  }

  private void handover(ResourceID id, LeaseObservation lease) {
    LeaseHandovers seen = handovers.computeIfAbsent(id, key -> new LeaseHandovers());
    synchronized (seen) {
      seen.observed(lease, clock.instant());
    }
  }

  @Override
  public void listed(List<JsonNode> objects) {
    Map<ResourceID, Lease> now = new HashMap<>();
    objects.forEach(
        object -> {
          Lease lease = WatchedLeases.lease(object);
          now.put(ResourceID.fromResource(lease), lease);
        });
    for (Map.Entry<ResourceID, Lease> gone : Map.copyOf(leases).entrySet()) {
      if (!now.containsKey(gone.getKey())) {
        forget(gone.getValue());
      }
    }
    now.values().forEach(this::observe);
    synced.countDown();
  }

  @Override
  public void changed(JsonNode object) {
    observe(WatchedLeases.lease(object));
  }

  @Override
  public void deleted(JsonNode object) {
    forget(WatchedLeases.lease(object));
  }

  private void observe(Lease lease) {
    ResourceID id = ResourceID.fromResource(lease);
    LeaseObservation observed = LeaseObservation.of(lease);
    handover(id, observed);
    Lease old = leases.put(id, lease);
    if (old == null || changesTheStatus(LeaseObservation.of(old), observed)) {
      reconcile(lease);
    }
    expiry.watch(lease);
  }

  /**
   * Anything but a renewal does; so does a renewal of a Lease that had expired, as when a holder
   * paused past its lease renews again before anybody else took it: client-go and this project's
   * elector keep its acquireTime and transitions then, so only the expiry tells.
   */
  private boolean changesTheStatus(LeaseObservation old, LeaseObservation now) {
    Instant at = clock.instant();
    return now.differsBeyondRenewal(old) || !now.leaderAt(at).equals(old.leaderAt(at));
  }

  private void forget(Lease lease) {
    leases.remove(ResourceID.fromResource(lease));
    handovers.remove(ResourceID.fromResource(lease));
    expiry.forget(lease);
    reconcile(lease);
  }

  private void expired(Lease lease) {
    handover(ResourceID.fromResource(lease), LeaseObservation.of(lease));
    reconcile(lease);
  }

  private void reconcile(Lease lease) {
    if (getEventHandler() != null) {
      toLeaderDemos(lease, claimants).forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }

  /** A Lease maps to the LeaderDemo that labelled it and to every one that names it. */
  static Set<ResourceID> toLeaderDemos(Lease lease, Function<String, List<LeaderDemo>> claimants) {
    Set<ResourceID> ids = new HashSet<>(labelledLeaderDemo(lease));
    claimants.apply(LeaseClaims.indexKey(lease)).forEach(d -> ids.add(ResourceID.fromResource(d)));
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
}
