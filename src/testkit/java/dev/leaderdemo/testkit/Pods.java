package dev.leaderdemo.testkit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/** What the ITs, the demo and the benchmarks read of pods: the live ones, readiness, restarts. */
public final class Pods {

  private Pods() {}

  /** The pods with the label {@code key=value} that are not being deleted. */
  public static List<Pod> live(
      KubernetesClient client, String namespace, String key, String value) {
    return client.pods().inNamespace(namespace).withLabel(key, value).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /** Of {@link #live}, those whose Ready condition is True. */
  public static long ready(KubernetesClient client, String namespace, String key, String value) {
    return live(client, namespace, key, value).stream().filter(Pods::isReady).count();
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Restarts of all the pod's containers, as kubectl get pods counts them. */
  public static int restarts(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? 0
        : pod.getStatus().getContainerStatuses().stream()
            .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
            .sum();
  }
}
