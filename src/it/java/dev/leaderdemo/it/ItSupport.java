package dev.leaderdemo.it;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.testkit.LocalCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** What the ITs share: short lease timings, namespaces, bounded waits. */
final class ItSupport {

  /** Short timings keep the suite fast; the defaults (15/10/2) are for people. */
  static final int LEASE_SECONDS = 4;

  static final int RENEW_SECONDS = 3;
  static final int RETRY_SECONDS = 1;

  static final Map<String, String> OPERATOR_TIMINGS =
      Map.of(
          "LEADER_ELECTION_LEASE_DURATION", LEASE_SECONDS + "s",
          "LEADER_ELECTION_RENEW_DEADLINE", RENEW_SECONDS + "s",
          "LEADER_ELECTION_RETRY_PERIOD", RETRY_SECONDS + "s",
          "DEMO_IMAGE", LocalCluster.IMAGE);

  private ItSupport() {}

  /**
   * Polls until the condition holds; an API request that fails on the way is retried, not taken as
   * the answer.
   */
  static ConditionFactory await(String what, Duration atMost) {
    return Awaitility.await(what)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .pollDelay(Duration.ZERO)
        .ignoreExceptionsInstanceOf(KubernetesClientException.class);
  }

  static void createNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** Pods whose Ready condition is True, among those not being deleted. */
  static long readyPods(KubernetesClient client, String namespace, String instance) {
    return livePods(client, namespace, instance).stream()
        .filter(
            p ->
                p.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
        .count();
  }

  /** The demo pods of a LeaderDemo that are not being deleted. */
  static List<Pod> livePods(KubernetesClient client, String namespace, String instance) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", instance)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /**
   * What a person would look at when a test in {@code namespace} fails: pods, Leases, and every
   * pod's log tail.
   */
  static String diagnostics(LocalCluster cluster, String namespace) {
    StringBuilder out =
        new StringBuilder(
            cluster
                .kubectl("get", "pods,leases,leaderdemos", "-n", namespace, "-o", "wide")
                .stdout());
    for (String pod :
        cluster.kubectl("get", "pods", "-n", namespace, "-o", "name").stdout().split("\n")) {
      if (!pod.isBlank()) {
        out.append("--- ")
            .append(pod)
            .append('\n')
            .append(cluster.kubectl("logs", "-n", namespace, pod, "--tail=15").stdout());
      }
    }
    return out.toString();
  }

  static LeaderDemo leaderDemo(KubernetesClient client, String namespace, String name) {
    return client.resources(LeaderDemo.class).inNamespace(namespace).withName(name).get();
  }

  static String leaderDemoYaml(String name, int replicas) {
    return "apiVersion: leaderdemo.dev/v1alpha1\nkind: LeaderDemo\nmetadata:\n  name: "
        + name
        + "\nspec:\n"
        + "  replicas: "
        + replicas
        + "\n  leaseDurationSeconds: "
        + LEASE_SECONDS
        + "\n  renewDeadlineSeconds: "
        + RENEW_SECONDS
        + "\n  retryPeriodSeconds: "
        + RETRY_SECONDS
        + "\n";
  }

  /** A watcher that hands every object it is told of to {@code record}, whatever the action. */
  static <T> Watcher<T> recording(Consumer<T> record) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, T resource) {
        record.accept(resource);
      }

      @Override
      public void onClose(WatcherException cause) {}
    };
  }
}
