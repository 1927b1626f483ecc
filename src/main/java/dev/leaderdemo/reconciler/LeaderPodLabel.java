package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.dependent.DemoResources;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link DemoLabels#LEADER} on the demo pod that holds the Lease and on no other, so that the
 * leader Service reaches the leader only. It comes off every other pod before it goes on the new
 * leader, so the Service never has two endpoints; a leader that crashed or hung loses it once its
 * lease has expired, since the operator then sees no holder.
 */
final class LeaderPodLabel {

  private static final Logger log = LoggerFactory.getLogger(LeaderPodLabel.class);

  /** JSON Pointer of the label: '/' in a key is written ~1. */
  private static final String POINTER = "/metadata/labels/" + DemoLabels.LEADER.replace("/", "~1");

  private static final String INSTANCE_POINTER =
      "/metadata/labels/" + DemoLabels.INSTANCE.replace("/", "~1");

  private LeaderPodLabel() {}

  /**
   * @param leader the pod that holds the Lease now; null when nobody does
   */
  static void moveTo(KubernetesClient client, LeaderDemo demo, String leader) {
    String namespace = demo.getMetadata().getNamespace();
    Map<String, String> labelled = DemoResources.selectorLabels(demo);
    labelled.put(DemoLabels.LEADER, DemoLabels.LEADER_VALUE);
    boolean onLeader = false;
    for (Pod pod : client.pods().inNamespace(namespace).withLabels(labelled).list().getItems()) {
      String name = pod.getMetadata().getName();
      if (name.equals(leader)) {
        onLeader = true;
        continue;
      }
      // on the object in hand: fabric8's patch by name reads the pod first, which needs "get"
      client
          .resource(pod)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"" + DemoLabels.LEADER + "\":null}}}");
      log.info("{}/{} no longer leads: leader label removed", namespace, name);
    }
    if (leader == null || onLeader) {
      return;
    }
    try {
      // only a pod of this LeaderDemo: a Lease's holder may be anybody's identity
      client
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName(leader)
                  .withNamespace(namespace)
                  .endMetadata()
                  .build())
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"test\",\"path\":\""
                  + INSTANCE_POINTER
                  + "\",\"value\":\""
                  + demo.getMetadata().getName()
                  + "\"},{\"op\":\"add\",\"path\":\""
                  + POINTER
                  + "\",\"value\":\""
                  + DemoLabels.LEADER_VALUE
                  + "\"}]");
      log.info("{}/{} leads: leader label added", namespace, leader);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 422) {
        throw e;
      }
      log.info(
          "The holder of {}'s Lease, {}, is no pod of it; no pod gets the leader label",
          demo.getMetadata().getName(),
          leader);
    }
  }
}
