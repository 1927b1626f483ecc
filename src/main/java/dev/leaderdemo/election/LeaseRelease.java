package dev.leaderdemo.election;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leaderdemo.contract.KubernetesTime;
import dev.leaderdemo.process.DaemonThreads;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives up a lease on shutdown, as client-go's ReleaseOnCancel does: no holder, a one-second
 * duration, renewTime now, so that the candidates, who watch the Lease, take it at once.
 *
 * <p>Neither library does this right here: JOSDK 5.2.3 never releases, and fabric8's release sends
 * the empty holder in a merge patch that leaves the old holderIdentity in place, so candidates wait
 * out the one second.
 *
 * <p>It is one request, a JSON Patch whose first operation tests that this replica is still the
 * holder: the API server applies all of it or none, so it can never release a lease somebody else
 * took, and no read comes first. That matters when a pod is deleted with --force: the kubelet kills
 * it two seconds after the SIGTERM.
 *
 * <p>Shutdown must end within the pod's grace period whatever state the API server is in, so the
 * release has a budget: the request times out quickly and is not retried, and past the budget it
 * gives up; the candidates then take over when the lease expires.
 */
public class LeaseRelease {

  private static final ObjectMapper JSON = new ObjectMapper();

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
    try {
      client
          .resource(stub())
          .patch(
              PatchContext.of(PatchType.JSON),
              releasePatch(identity, ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))));
      log.info("{} released lease {}/{}", identity, namespace, leaseName);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND || e.getCode() == 422) {
        // the API server answers a failed test operation with 422
        log.info(
            "{} does not hold lease {}/{}; nothing to release", identity, namespace, leaseName);
      } else {
        log.warn("Could not release lease {}/{}: {}", namespace, leaseName, e.getMessage());
      }
      return false;
    }
  }

  /** Names the Lease to patch: with an object given, fabric8 sends the patch without a read. */
  private Lease stub() {
    return new LeaseBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(leaseName)
        .endMetadata()
        .build();
  }

  /**
   * The JSON Patch of a release, as client-go's record of one: holder "", one second, acquired and
   * renewed {@code now}, transitions unchanged; applied only while {@code identity} holds it.
   */
  static String releasePatch(String identity, ZonedDateTime now) {
    String time = KubernetesTime.micro(now.toInstant());
    List<Map<String, Object>> operations =
        List.of(
            Map.of("op", "test", "path", "/spec/holderIdentity", "value", identity),
            Map.of("op", "add", "path", "/spec/holderIdentity", "value", ""),
            Map.of("op", "add", "path", "/spec/leaseDurationSeconds", "value", 1),
            Map.of("op", "add", "path", "/spec/acquireTime", "value", time),
            Map.of("op", "add", "path", "/spec/renewTime", "value", time));
    try {
      return JSON.writeValueAsString(operations);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON Patch of strings and numbers", e);
    }
  }
}
