package dev.leaderdemo.localdemo;

import static dev.leaderdemo.localdemo.LocalDemo.NAME;
import static dev.leaderdemo.localdemo.LocalDemo.NAMESPACE;
import static dev.leaderdemo.localdemo.LocalDemo.OPERATOR_NAMESPACE;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.localdemo.DemoScreen.Row;
import dev.leaderdemo.localdemo.DemoScreen.Snapshot;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.Pods;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the demo sees of the cluster: the sample's LeaderDemo and the operator's and demo's pods,
 * through informers, and the screen's snapshot of them.
 */
final class DemoWatch implements AutoCloseable {

  private final KubernetesClient client;
  private SharedIndexInformer<LeaderDemo> leaderDemo;
  private final List<SharedIndexInformer<Pod>> pods = new ArrayList<>();
  private volatile LeaderDemo current;

  DemoWatch(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Starts watching: {@code onLeaderDemo} gets the LeaderDemo on every add and update, {@code
   * onPodUpdate} every updated pod, and {@code onChange} runs after every event.
   */
  void start(Consumer<LeaderDemo> onLeaderDemo, Consumer<Pod> onPodUpdate, Runnable onChange) {
    leaderDemo =
        client
            .resources(LeaderDemo.class)
            .inNamespace(NAMESPACE)
            .withName(NAME)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(LeaderDemo demo) {
                    observed(demo);
                  }

                  @Override
                  public void onUpdate(LeaderDemo old, LeaderDemo demo) {
                    observed(demo);
                  }

                  @Override
                  public void onDelete(LeaderDemo demo, boolean unknown) {
                    current = null;
                    onChange.run();
                  }

                  private void observed(LeaderDemo demo) {
                    current = demo;
                    onLeaderDemo.accept(demo);
                    onChange.run();
                  }
                });
    ResourceEventHandler<Pod> podsChanged =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            onChange.run();
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            onPodUpdate.accept(pod);
            onChange.run();
          }

          @Override
          public void onDelete(Pod pod, boolean unknown) {
            onChange.run();
          }
        };
    pods.add(
        client
            .pods()
            .inNamespace(OPERATOR_NAMESPACE)
            .withLabel(DemoLabels.NAME, DemoLabels.OPERATOR)
            .inform(podsChanged));
    pods.add(
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel(DemoLabels.INSTANCE, NAME)
            .inform(podsChanged));
  }

  /** The LeaderDemo as last seen, or null. */
  LeaderDemo current() {
    return current;
  }

  Optional<LeaderDemoStatus> status() {
    return Optional.ofNullable(current).map(LeaderDemo::getStatus);
  }

  List<Pod> demoPods() {
    return Pods.live(client, NAMESPACE, DemoLabels.INSTANCE, NAME);
  }

  List<Pod> operatorPods() {
    return Pods.live(client, OPERATOR_NAMESPACE, DemoLabels.NAME, DemoLabels.OPERATOR);
  }

  long readyOperatorPods() {
    return Pods.ready(client, OPERATOR_NAMESPACE, DemoLabels.NAME, DemoLabels.OPERATOR);
  }

  Pod pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  static String names(List<Pod> pods) {
    return String.join(", ", pods.stream().map(p -> p.getMetadata().getName()).sorted().toList());
  }

  /**
   * Whether the pod's new container itself renewed the Lease it holds, rather than the lease not
   * having expired.
   */
  boolean renewedSinceItStarted(Pod pod) {
    boolean operator = OPERATOR_NAMESPACE.equals(pod.getMetadata().getNamespace());
    var lease =
        client
            .leases()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(operator ? OperatorConfig.DEFAULT_LEASE_NAME : NAME)
            .get();
    var running = pod.getStatus().getContainerStatuses().get(0).getState().getRunning();
    return lease != null
        && running != null
        && pod.getMetadata().getName().equals(lease.getSpec().getHolderIdentity())
        && lease
            .getSpec()
            .getRenewTime()
            .toInstant()
            .isAfter(Instant.parse(running.getStartedAt()));
  }

  /** What the screen shows now, with the stopwatch's last and pending failover. */
  Snapshot snapshot(String lastFailover, String pending, String kubeconfig) {
    LeaderDemo demo = current;
    LeaderDemoStatus status = demo == null ? null : demo.getStatus();
    List<Row> rows = new ArrayList<>();
    String operatorLeader = status == null ? null : status.getOperatorLeader();
    String demoLeader = status == null ? null : status.getLeader();
    for (SharedIndexInformer<Pod> informer : pods) {
      informer.getStore().list().stream()
          .sorted(
              Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                  .reversed()
                  .thenComparing(p -> p.getMetadata().getName()))
          .forEach(p -> rows.add(row(p, operatorLeader, demoLeader)));
    }
    return new Snapshot(
        NAMESPACE,
        NAME,
        status,
        demo == null ? null : demo.getSpec().getReplicas(),
        rows,
        lastFailover,
        pending,
        leaderService(),
        kubeconfig);
  }

  /** Where the leader Service sends requests: the pod with the leader label, and its address. */
  private String leaderService() {
    for (SharedIndexInformer<Pod> informer : pods) {
      for (Pod pod : informer.getStore().list()) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels != null
            && DemoLabels.LEADER_VALUE.equals(labels.get(DemoLabels.LEADER))
            && pod.getMetadata().getDeletionTimestamp() == null) {
          String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
          return NAME
              + "-leader -> "
              + pod.getMetadata().getName()
              + " ("
              + (ip == null ? "no address yet" : ip + ":" + 8080)
              + ")";
        }
      }
    }
    return null;
  }

  private static Row row(Pod pod, String operatorLeader, String demoLeader) {
    String name = pod.getMetadata().getName();
    boolean operator = OPERATOR_NAMESPACE.equals(pod.getMetadata().getNamespace());
    String role =
        operator
            ? (name.equals(operatorLeader) ? "operator leader" : "operator standby")
            : (name.equals(demoLeader) ? "demo leader" : "demo");
    List<ContainerStatus> containers =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    long ready = containers.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
    String phase =
        pod.getMetadata().getDeletionTimestamp() != null
            ? "Terminating"
            : pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    return new Row(
        role, name, ready + "/" + pod.getSpec().getContainers().size(), phase, Pods.restarts(pod));
  }

  @Override
  public void close() {
    if (leaderDemo != null) {
      leaderDemo.close();
    }
    pods.forEach(SharedIndexInformer::close);
  }
}
