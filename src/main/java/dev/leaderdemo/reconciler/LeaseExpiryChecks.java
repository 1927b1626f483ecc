package dev.leaderdemo.reconciler;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One pending check per Lease for the instant its holder's claim runs out, since an expiry produces
 * no watch event. A check that finds the Lease renewed in the cache re-arms for the new expiry;
 * only a Lease that really expired is handed on. A Lease with no holder needs no check.
 */
final class LeaseExpiryChecks {

  /** Runs a task once after a delay; cancelling the returned future drops it. */
  @FunctionalInterface
  interface Timer {
    Future<?> schedule(Runnable task, Duration delay);
  }

  /** A check at the very instant of expiry could run a hair early; this puts it just after. */
  static final Duration MARGIN = Duration.ofMillis(100);

  /**
   * Checks fall due on a grid of this step, so that the timer wakes once for all the checks between
   * two steps: with 1000 Leases it woke 67 times a second, one check each, and the wake-ups, not
   * the checks, were most of its CPU. A check runs at most MARGIN plus this after the expiry.
   */
  static final Duration GRID = Duration.ofMillis(250);

  private final Clock clock;
  private final Timer timer;
  private final Function<ResourceID, Optional<Lease>> cache;
  private final Consumer<Lease> onExpired;
  private final Map<ResourceID, Future<?>> pending = new ConcurrentHashMap<>();

  /**
   * @param cache the Lease as the informer holds it now
   * @param onExpired runs on the timer's thread for a Lease whose holder's claim ran out
   */
  LeaseExpiryChecks(
      Clock clock,
      Timer timer,
      Function<ResourceID, Optional<Lease>> cache,
      Consumer<Lease> onExpired) {
    this.clock = clock;
    this.timer = timer;
    this.cache = cache;
    this.onExpired = onExpired;
  }

  /** Arms a check for the holder's expiry, unless one is pending already (it re-arms itself). */
  void watch(Lease lease) {
    ResourceID id = ResourceID.fromResource(lease);
    if (pending.containsKey(id)) {
      return; // nearly every call: a renewal
    }
    LeaseObservation.of(lease)
        .untilExpiry(clock.instant())
        .ifPresent(
            delay ->
                pending.computeIfAbsent(
                    id, key -> timer.schedule(() -> check(key), onGrid(delay))));
  }

  /** From now to the first instant of the grid at least MARGIN after {@code untilExpiry}. */
  private Duration onGrid(Duration untilExpiry) {
    long now = clock.millis();
    long due = now + untilExpiry.plus(MARGIN).toMillis();
    long step = GRID.toMillis();
    return Duration.ofMillis(Math.floorDiv(due + step - 1, step) * step - now);
  }

  void forget(Lease lease) {
    Future<?> check = pending.remove(ResourceID.fromResource(lease));
    if (check != null) {
      check.cancel(false);
    }
  }

  int pending() {
    return pending.size();
  }

  private void check(ResourceID id) {
    pending.remove(id);
    cache
        .apply(id)
        .ifPresent(
            lease -> {
              LeaseObservation observed = LeaseObservation.of(lease);
              if (observed.holder().isPresent()
                  && observed.untilExpiry(clock.instant()).isEmpty()) {
                onExpired.accept(lease);
              } else {
                watch(lease);
              }
            });
  }
}
