package dev.leaderdemo.election;

import dev.leaderdemo.process.DaemonThreads;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up a lease on shutdown, as client-go's ReleaseOnCancel does: no holder, a one-second
 * duration, renewTime now, so that the next candidate takes it at its next retry.
 *
 * <p>Neither library does this right here: JOSDK 5.2.3 never releases, and fabric8's release sends
 * the empty holder in a merge patch that leaves the old holderIdentity in place, so candidates wait
 * out the one second. The update carries the resourceVersion it read, so it can never overwrite a
 * lease somebody else took.
 *
 * <p>Shutdown must end within the pod's grace period whatever state the API server is in, so the
 * release has a budget: each request times out quickly and is not retried, and past the budget it
 * gives up; the candidates then take over when the lease expires.
 */
public class LeaseRelease {

  private static final Logger log = LoggerFactory.getLogger(LeaseRelease.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String namespace;
  private final String leaseName;
  private final String identity;

  public LeaseRelease(
      KubernetesClient client, Clock clock, String namespace, String leaseName, String identity) {
    this.client = client;
    this.clock = clock;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
  }

  /** How long a release may take in all: well inside any termination grace period. */
  public static final Duration BUDGET = Duration.ofSeconds(2);

  private static final RequestConfig QUICK =
      new RequestConfigBuilder()
          .withRequestTimeout((int) BUDGET.toMillis() / 2)
          .withRequestRetryBackoffLimit(0)
          .build();

  /**
   * @return true when this replica held the lease and has released it within {@link #BUDGET}
   */
  public boolean releaseIfHeld() {
    ExecutorService worker = DaemonThreads.singleThread("lease-release");
    Future<Boolean> release =
        worker.submit(
            () ->
                client
                    .adapt(NamespacedKubernetesClient.class)
                    .withRequestConfig(QUICK)
                    .call(this::release));
    try {
      return release.get(BUDGET.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn(
          "Gave up releasing lease {}/{} after {} ms; it frees itself when it expires",
          namespace,
          leaseName,
          BUDGET.toMillis());
    } catch (ExecutionException e) {
      log.warn(
          "Could not release lease {}/{}: {}", namespace, leaseName, e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      worker.shutdownNow();
    }
    return false;
  }

  private boolean release(KubernetesClient client) {
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        Lease lease = client.leases().inNamespace(namespace).withName(leaseName).get();
        Optional<Lease> released =
            released(lease, identity, ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)));
        if (released.isEmpty()) {
          log.info(
              "{} does not hold lease {}/{}; nothing to release", identity, namespace, leaseName);
          return false;
        }
        client.resource(released.get()).update();
        log.info("{} released lease {}/{}", identity, namespace, leaseName);
        return true;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
          log.warn("Could not release lease {}/{}: {}", namespace, leaseName, e.getMessage());
          return false;
        }
      }
    }
    return false;
  }

  /**
   * The released record, as client-go writes it: no holder, a one-second duration, acquired and
   * renewed now, transitions unchanged; its resourceVersion is the one read, so the update fails if
   * anybody wrote the Lease since. Nothing when {@code identity} does not hold {@code lease}. It
   * changes the Lease it is given, one just read: on the shutdown path no copy is worth its time.
   */
  static Optional<Lease> released(Lease lease, String identity, ZonedDateTime now) {
    if (lease == null
        || lease.getSpec() == null
        || !identity.equals(lease.getSpec().getHolderIdentity())) {
      return Optional.empty();
    }
    lease.getSpec().setHolderIdentity(null);
    lease.getSpec().setLeaseDurationSeconds(1);
    lease.getSpec().setAcquireTime(now);
    lease.getSpec().setRenewTime(now);
    return Optional.of(lease);
  }
}
