package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core/v1 Events on a LeaderDemo, so that `kubectl describe leaderdemo` tells what
 * happened.
 */
public class LeaderDemoEvents {

  static final String COMPONENT = "leaderdemo-operator";
  private static final Logger log = LoggerFactory.getLogger(LeaderDemoEvents.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String reportingInstance;

  public LeaderDemoEvents(KubernetesClient client, Clock clock, String reportingInstance) {
    this.client = client;
    this.clock = clock;
    this.reportingInstance = reportingInstance;
  }

  void leaderChanged(LeaderDemo demo, String previous, String current) {
    String message =
        current == null
            ? "no demo pod leads any more (" + previous + " released its lease or let it expire)"
            : current + " is now the leader" + (previous == null ? "" : " (was " + previous + ")");
    record(demo, "Normal", current == null ? "LeaderLost" : "LeaderElected", message);
  }

  void reconcileFailed(LeaderDemo demo, String message) {
    record(demo, "Warning", LeaderDemoStatusFactory.RECONCILE_FAILED, message);
  }

  void invalidSpec(LeaderDemo demo, String message) {
    record(demo, "Warning", LeaderDemoStatusFactory.INVALID_SPEC, message);
  }

  void leaseConflict(LeaderDemo demo, String message) {
    record(demo, "Warning", LeaderDemoStatusFactory.LEASE_CONFLICT, message);
  }

  private void record(LeaderDemo demo, String type, String reason, String message) {
    String now = KubernetesTime.format(clock.instant());
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                demo.getMetadata().getName() + "." + UUID.randomUUID().toString().substring(0, 13))
            .withNamespace(demo.getMetadata().getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(demo.getApiVersion())
            .withKind(demo.getKind())
            .withName(demo.getMetadata().getName())
            .withNamespace(demo.getMetadata().getNamespace())
            .withUid(demo.getMetadata().getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(reportingInstance)
            .build();
    try {
      client.v1().events().inNamespace(demo.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException | IllegalStateException e) {
      log.warn(
          "Could not record event {} on {}/{}: {}",
          reason,
          demo.getMetadata().getNamespace(),
          demo.getMetadata().getName(),
          e.getMessage());
    }
  }
}
