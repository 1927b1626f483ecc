package dev.leaderdemo.election;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.leaderdemo.apiserver.ApiException;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.apiserver.Json;
import dev.leaderdemo.contract.KubernetesTime;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
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

  private static final Logger log = LoggerFactory.getLogger(LeaseRelease.class);

  private final ApiServer api;
  private final Clock clock;
  private final String namespace;
  private final String leaseName;
  private final String identity;

  public LeaseRelease(
      ApiServer api, Clock clock, String namespace, String leaseName, String identity) {
    this.api = api;
    this.clock = clock;
    this.namespace = namespace;
    this.leaseName = leaseName;
    this.identity = identity;
  }

  /** How long a release may take in all: well inside any termination grace period. */
  public static final Duration BUDGET = Duration.ofSeconds(2);

  /** The path of the Leases of {@code namespace}. */
  public static String leases(String namespace) {
    return "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases";
  }

  /**
   * @return true when this replica held the lease and has released it within {@link #BUDGET}
   */
  public boolean releaseIfHeld() {
    try {
      api.patch(
          leases(namespace) + "/" + leaseName,
          ApiServer.JSON_PATCH,
          releasePatch(identity, ZonedDateTime.now(clock.withZone(ZoneOffset.UTC))),
          BUDGET);
      log.info("{} released lease {}/{}", identity, namespace, leaseName);
      return true;
    } catch (ApiException e) {
      if (e.code() == HttpURLConnection.HTTP_NOT_FOUND || e.code() == 422) {
        // the API server answers a failed test operation with 422
        log.info(
            "{} does not hold lease {}/{}; nothing to release", identity, namespace, leaseName);
      } else if (e.code() == 0) {
        log.warn(
            "Gave up releasing lease {}/{} ({}); it frees itself when it expires",
            namespace,
            leaseName,
            e.getMessage());
      } else if (e.code() == HttpURLConnection.HTTP_UNAUTHORIZED) {
        log.warn(
            "Could not release lease {}/{}: Unauthorized. The API server no longer takes this"
                + " pod's token: a bound service account token ends with its pod object, as after"
                + " kubectl delete pod --force. The lease frees itself when it expires",
            namespace,
            leaseName);
      } else {
        log.warn("Could not release lease {}/{}: {}", namespace, leaseName, e.getMessage());
      }
      return false;
    }
  }

  /**
   * The JSON Patch of a release, as client-go's record of one: holder "", one second, acquired and
   * renewed {@code now}, transitions unchanged; applied only while {@code identity} holds it.
   */
  static String releasePatch(String identity, ZonedDateTime now) {
    String time = KubernetesTime.micro(now.toInstant());
    ArrayNode operations = JsonNodeFactory.instance.arrayNode();
    operation(operations, "test", "/spec/holderIdentity").put("value", identity);
    operation(operations, "add", "/spec/holderIdentity").put("value", "");
    operation(operations, "add", "/spec/leaseDurationSeconds").put("value", 1);
    operation(operations, "add", "/spec/acquireTime").put("value", time);
    operation(operations, "add", "/spec/renewTime").put("value", time);
    return Json.write(operations);
  }

  private static ObjectNode operation(ArrayNode operations, String op, String path) {
    ObjectNode operation = operations.addObject();
    operation.put("op", op);
    operation.put("path", path);
    return operation;
  }
}
