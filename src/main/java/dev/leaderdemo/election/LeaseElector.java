package dev.leaderdemo.election;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leaderdemo.apiserver.ApiException;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.apiserver.CollectionWatch;
import dev.leaderdemo.apiserver.Json;
import dev.leaderdemo.process.DaemonThreads;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a {@code coordination.k8s.io/v1} Lease, with client-go's record and rules, but
 * watching the Lease instead of polling it:
 *
 * <ul>
 *   <li>A candidate learns of every change from a watch, so a released Lease is taken at once and
 *       an idle candidate sends no request at all.
 *   <li>A candidate takes a Lease that is not released only a full lease duration after it saw the
 *       record change, on its own monotonic clock (client-go's rule), never by comparing the
 *       holder's renewTime with its own wall clock.
 *   <li>The leader renews every retry period, and stops calling itself leader once renewDeadline
 *       has passed since the start of its last successful renewal, whether or not a request is
 *       still hanging. Every other candidate saw that renewal after it started, and waits a lease
 *       duration (longer than renewDeadline) from then: no two candidates lead at once.
 *   <li>Each write is a create or an update guarded by the resourceVersion observed, so of two
 *       candidates only one can succeed.
 * </ul>
 *
 * All state belongs to one thread; the watch and the timers hand their work to it.
 */
public final class LeaseElector {

  private static final Logger log = LoggerFactory.getLogger(LeaseElector.class);

  private final ApiServer api;
  private final LeaseElectorConfig config;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final LeaderCallbacks callbacks;
  private final LeaseRelease release;
  private final Duration requestTimeout;
  private final ScheduledExecutorService thread = DaemonThreads.scheduler("lease-elector");

  // owned by the elector's thread
  private ObservedLease observed;
  private boolean synced;
  private long retryNotBeforeNanos;
  private long lastRenewalStartNanos;
  private ScheduledFuture<?> nextAttempt;
  private JsonNode lease;
  private boolean holderReported;
  private CollectionWatch watch;

  // read from other threads (/leader)
  private volatile boolean leading;
  private volatile long leadingUntilNanos;
  private volatile String leader;
  private volatile boolean stopping;

  public LeaseElector(
      ApiServer api,
      LeaseElectorConfig config,
      Clock clock,
      LongSupplier nanoTime,
      LeaderCallbacks callbacks) {
    this.api = api;
    this.config = config;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.callbacks = callbacks;
    this.release =
        new LeaseRelease(api, clock, config.namespace(), config.leaseName(), config.identity());
    // never longer than a retry period: the next attempt is due then
    this.requestTimeout = config.retryPeriod();
  }

  /** Starts watching the Lease and competing for it; returns at once. */
  public synchronized void start() {
    thread.execute(
        () -> {
          watch =
              CollectionWatch.named(
                  api,
                  LeaseRelease.leases(config.namespace()),
                  config.leaseName(),
                  new CollectionWatch.Handler() {
                    @Override
                    public void listed(List<JsonNode> leases) {
                      onThread(() -> listedLease(leases.isEmpty() ? null : leases.get(0)));
                    }

                    @Override
                    public void changed(JsonNode lease) {
                      onThread(() -> observe(lease));
                    }

                    @Override
                    public void deleted(JsonNode lease) {
                      onThread(() -> observe(null));
                    }
                  });
          watch.start();
        });
  }

  /**
   * Stops competing: this replica no longer leads, and when it holds the Lease and releaseOnCancel
   * is set, it releases it (within {@link LeaseRelease#BUDGET}).
   */
  public synchronized void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    Future<?> stopped =
        thread.submit(
            () -> {
              cancelNextAttempt();
              boolean held = observed != null && observed.record().heldBy(config.identity());
              stopLeading();
              if (watch != null) {
                watch.close();
              }
              if (held && config.releaseOnCancel()) {
                release.releaseIfHeld();
              }
            });
    try {
      stopped.get(
          LeaseRelease.BUDGET.toMillis() + config.retryPeriod().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("{}: the elector did not stop in time", config.identity());
    } catch (ExecutionException e) {
      log.warn("{}: stopping the elector failed: {}", config.identity(), e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      thread.shutdownNow();
    }
  }

  /**
   * Whether this replica leads now: it won the Lease and its last successful renewal started less
   * than renewDeadline ago. Judged when asked, so a renewal stuck on a hung API server cannot make
   * it answer yes for longer.
   */
  public boolean isLeader() {
    return leading && nanoTime.getAsLong() - leadingUntilNanos < 0;
  }

  /** The holder the Lease names as this replica last saw it, or null. */
  public String leader() {
    return leader;
  }

  private void onThread(Runnable task) {
    if (!stopping) {
      thread.execute(
          () -> {
            if (!stopping) {
              task.run();
            }
          });
    }
  }

  /** The first list makes the elector synced: from then on it knows whether the Lease exists. */
  private void listedLease(JsonNode leaseOrNull) {
    observe(leaseOrNull);
    if (!synced) {
      synced = true;
      decide();
    }
  }

  /** A Lease as the watch or a write of ours returned it (null: there is none). */
  private void observe(JsonNode seen) {
    long now = nanoTime.getAsLong();
    if (seen == null) {
      observed = null;
    } else {
      String version = seen.path("metadata").path("resourceVersion").asText();
      if (observed != null && observed.isNewerThan(version)) {
        return; // the watch catching up with a write of ours whose answer came first
      }
      ElectionRecord record = ElectionRecord.of(seen.get("spec"));
      observed =
          observed == null
              ? new ObservedLease(record, version, now)
              : observed.then(record, version, now);
    }
    lease = seen;
    retryNotBeforeNanos = now;
    reportHolder(observed == null ? "" : observed.record().holderIdentity());
    decide();
  }

  /** What to do next, from what was observed: renew, try to acquire now, or wait for expiry. */
  private void decide() {
    cancelNextAttempt();
    long now = nanoTime.getAsLong();
    if (leading) {
      if (observed == null || !observed.record().heldBy(config.identity())) {
        log.warn(
            "{}: the Lease now names {}",
            config.identity(),
            observed == null ? "no holder (it was deleted)" : observed.record().holderIdentity());
        stopLeading();
      } else if (now - leadingUntilNanos >= 0) {
        log.warn(
            "{}: no renewal succeeded within the renew deadline ({}s)",
            config.identity(),
            config.renewDeadline().toSeconds());
        stopLeading();
      } else {
        long due = lastRenewalStartNanos + config.retryPeriod().toNanos();
        schedule(Math.max(due, retryNotBeforeNanos) - now);
        return;
      }
    }
    if (!synced) {
      return;
    }
    long due =
        observed == null || observed.claimableBy(config.identity(), now)
            ? 0
            : observed.expiresAtNanos() - now;
    schedule(Math.max(due, retryNotBeforeNanos - now));
  }

  private void schedule(long delayNanos) {
    nextAttempt =
        thread.schedule(
            () -> {
              if (!stopping) {
                attempt();
              }
            },
            Math.max(0, delayNanos),
            TimeUnit.NANOSECONDS);
  }

  private void cancelNextAttempt() {
    if (nextAttempt != null) {
      nextAttempt.cancel(false);
      nextAttempt = null;
    }
  }

  /** One create or guarded update: acquire, or renew while leading. */
  private void attempt() {
    long start = nanoTime.getAsLong();
    if (leading && start - leadingUntilNanos >= 0 || !leading && !mayClaim(start)) {
      decide();
      return;
    }
    ZonedDateTime now =
        ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)).truncatedTo(ChronoUnit.MICROS);
    boolean renewal = leading;
    try {
      JsonNode written = write(now);
      if (renewal) {
        callbacks.renewed(Duration.ofNanos(nanoTime.getAsLong() - start), true);
      }
      lastRenewalStartNanos = start;
      leadingUntilNanos = start + config.renewDeadline().toNanos();
      boolean wasLeading = leading;
      leading = true;
      observe(written);
      if (!wasLeading) {
        callbacks.startedLeading();
      }
    } catch (ApiException e) {
      if (renewal) {
        callbacks.renewed(Duration.ofNanos(nanoTime.getAsLong() - start), false);
      }
      if (e.code() == HttpURLConnection.HTTP_CONFLICT) {
        log.debug("{}: the Lease changed before our write; the watch brings it", config.identity());
      } else if (e.code() == HttpURLConnection.HTTP_NOT_FOUND) {
        observed = null;
        lease = null;
      } else {
        log.warn(
            "{}: could not {} lease {}/{}: {}",
            config.identity(),
            leading ? "renew" : "acquire",
            config.namespace(),
            config.leaseName(),
            e.getMessage());
      }
      retryNotBeforeNanos = start + config.retryPeriod().toNanos();
    }
    decide();
  }

  private boolean mayClaim(long now) {
    return synced && (observed == null || observed.claimableBy(config.identity(), now));
  }

  private JsonNode write(ZonedDateTime now) {
    String leases = LeaseRelease.leases(config.namespace());
    if (lease == null) {
      ObjectNode created = Json.object();
      created.put("apiVersion", "coordination.k8s.io/v1");
      created.put("kind", "Lease");
      created.set("metadata", Json.metadata(config.leaseMetadata()));
      created.set(
          "spec",
          ElectionRecord.first(config.identity(), config.leaseDuration(), now).toSpec(null));
      return api.create(leases, created, requestTimeout);
    }
    // the Lease as last seen, so that its metadata (and its resourceVersion, which guards the
    // write) stay as they were, with the record changed
    ObjectNode update = ((ObjectNode) lease).deepCopy();
    // items of a list come without their kind
    update.put("apiVersion", "coordination.k8s.io/v1");
    update.put("kind", "Lease");
    update.set(
        "spec",
        observed
            .record()
            .claimedBy(config.identity(), config.leaseDuration(), now)
            .toSpec(lease.get("spec")));
    return api.replace(leases + "/" + config.leaseName(), update, requestTimeout);
  }

  private void stopLeading() {
    if (leading) {
      leading = false;
      callbacks.stoppedLeading();
    }
  }

  private void reportHolder(String holder) {
    String now = holder.isEmpty() ? null : holder;
    if (holderReported && Objects.equals(now, leader)) {
      return;
    }
    holderReported = true;
    leader = now;
    callbacks.newLeader(now);
  }
}
