package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.contract.LeaderDemoKind;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lease that a LeaderDemo now owns but that still carries another LeaderDemo's label and owner
 * (that one has since named another Lease) is relabelled and re-owned, so that deleting the other
 * never garbage-collects it.
 */
final class LeaseAdoption {

  private static final Logger log = LoggerFactory.getLogger(LeaseAdoption.class);

  private LeaseAdoption() {}

  static void adoptIfLabelledForAnother(KubernetesClient client, LeaderDemo demo, Lease lease) {
    String name = demo.getMetadata().getName();
    String labelled =
        lease.getMetadata().getLabels() == null
            ? null
            : lease.getMetadata().getLabels().get(DemoLabels.INSTANCE);
    if (labelled == null || Objects.equals(labelled, name)) {
      return;
    }
    try {
      client
          .leases()
          .inNamespace(lease.getMetadata().getNamespace())
          .withName(lease.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), adoption(demo));
      log.info(
          "Lease {}/{} passed from LeaderDemo {} to {}",
          lease.getMetadata().getNamespace(),
          lease.getMetadata().getName(),
          labelled,
          name);
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not hand lease {}/{} over to LeaderDemo {}: {}",
          lease.getMetadata().getNamespace(),
          lease.getMetadata().getName(),
          name,
          FailureMessage.clean(e.getMessage()));
    }
  }

  /**
   * A merge patch carries no resourceVersion: the pods renew the Lease every retry period, and an
   * edit read before a renewal would fail with 409 and leave the Lease to the other LeaderDemo.
   */
  static String adoption(LeaderDemo demo) {
    String name = demo.getMetadata().getName();
    return Serialization.asJson(
        Map.of(
            "metadata",
            Map.of(
                "labels",
                DemoLabels.lease(name),
                "ownerReferences",
                List.of(LeaderDemoKind.ownerReference(name, demo.getMetadata().getUid())))));
  }
}
