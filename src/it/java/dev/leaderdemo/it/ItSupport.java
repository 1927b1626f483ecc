package dev.leaderdemo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LeaderDemoYaml;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.Pods;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** What the ITs share: short lease timings, namespaces, reads of LeaderDemos and their pods. */
final class ItSupport {

  /** Short timings keep the suite fast; the defaults (15/10/2) are for people. */
  static final int LEASE_SECONDS = 4;

  static final int RENEW_SECONDS = 3;
  static final int RETRY_SECONDS = 1;

  static final Map<String, String> OPERATOR_TIMINGS =
      operatorTimings(LEASE_SECONDS, RENEW_SECONDS, RETRY_SECONDS);

  /**
   * How much earlier than its expiry check fabric8's elector (the demo pods' and, under JOSDK, the
   * operator's) stamps acquireTime: it takes "now" before it reads the Lease, and judges the expiry
   * with a fresh "now" after the read. One read of a Lease, with room for a loaded machine.
   */
  static final Duration ACQUIRE_STAMP_SLACK = Duration.ofSeconds(1);

  private ItSupport() {}

  /**
   * Nobody released: the Lease was taken only once the old holder's last renewal had run out. The
   * test saw the new holder (directly or through the status) only after it wrote the Lease, and it
   * wrote only after judging the lease expired, so {@code seen} is held to the expiry exactly; the
   * recorded acquireTime may be up to {@link #ACQUIRE_STAMP_SLACK} earlier. All clocks are this
   * machine's.
   *
   * @param lastOfOld the last record of the old holder the test saw
   * @param seen when the test first saw the new holder
   */
  static void assertTakenOnlyAfterExpiry(
      LeaseSpec lastOfOld, Instant seen, LeaseSpec taken, int leaseSeconds) {
    Instant expiry = lastOfOld.getRenewTime().toInstant().plusSeconds(leaseSeconds);
    assertThat(seen)
        .as("when %s was first seen holding the lease", taken.getHolderIdentity())
        .isAfterOrEqualTo(expiry);
    assertThat(taken.getAcquireTime().toInstant())
        .as("acquisition by %s", taken.getHolderIdentity())
        .isAfterOrEqualTo(expiry.minus(ACQUIRE_STAMP_SLACK));
  }

  /** An operator's lease timings, and the demo pods' image on the local node. */
  static Map<String, String> operatorTimings(int lease, int renew, int retry) {
    return Map.of(
        OperatorConfig.ENV_LEASE_DURATION, lease + "s",
        OperatorConfig.ENV_RENEW_DEADLINE, renew + "s",
        OperatorConfig.ENV_RETRY_PERIOD, retry + "s",
        OperatorConfig.ENV_DEMO_IMAGE, LocalCluster.IMAGE);
  }

  static void createNamespace(KubernetesClient client, String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  /** Demo pods of a LeaderDemo whose Ready condition is True, among those not being deleted. */
  static long readyPods(KubernetesClient client, String namespace, String instance) {
    return Pods.ready(client, namespace, DemoLabels.INSTANCE, instance);
  }

  /** The demo pods of a LeaderDemo that are not being deleted. */
  static List<Pod> livePods(KubernetesClient client, String namespace, String instance) {
    return Pods.live(client, namespace, DemoLabels.INSTANCE, instance);
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

  /** The LeaderDemo's status, or null while it has none (or there is no such LeaderDemo). */
  static LeaderDemoStatus status(KubernetesClient client, String namespace, String name) {
    LeaderDemo demo = leaderDemo(client, namespace, name);
    return demo == null ? null : demo.getStatus();
  }

  /** The condition of that type in the LeaderDemo's status, or null. */
  static Condition condition(KubernetesClient client, String namespace, String name, String type) {
    LeaderDemoStatus status = status(client, namespace, name);
    return status == null || status.getConditions() == null
        ? null
        : status.getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  /** A LeaderDemo with the suite's short timings. */
  static LeaderDemoYaml leaderDemoYaml(String name, int replicas) {
    return LeaderDemoYaml.named(name)
        .replicas(replicas)
        .timings(LEASE_SECONDS, RENEW_SECONDS, RETRY_SECONDS);
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

  /** A duration as Go prints it and the status carries it: 31ms, 1.5s, 2m5s. */
  static Duration goDuration(String text) {
    if (text.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
    }
    int m = text.indexOf('m');
    long minutes = m < 0 ? 0 : Long.parseLong(text.substring(0, m));
    double seconds = Double.parseDouble(text.substring(m + 1, text.length() - 1));
    return Duration.ofMinutes(minutes).plusMillis(Math.round(seconds * 1000));
  }

  /**
   * The value of {@code name} in a Prometheus scrape, summed over its series; NaN when it has none,
   * so that a metric gone missing fails the comparison it is in.
   */
  static double metric(String scrape, String name) {
    double sum = 0;
    boolean seen = false;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        seen = true;
      }
    }
    return seen ? sum : Double.NaN;
  }
}
