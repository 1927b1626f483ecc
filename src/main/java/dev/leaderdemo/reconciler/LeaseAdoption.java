package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.contract.LeaderDemoKind;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
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
          .edit(
              l -> {
                l.getMetadata().getLabels().putAll(DemoLabels.lease(name));
                l.getMetadata()
                    .setOwnerReferences(
                        List.of(LeaderDemoKind.ownerReference(name, demo.getMetadata().getUid())));
                return l;
              });
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
}
