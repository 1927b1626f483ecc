package dev.leaderdemo.localdemo;

import static dev.leaderdemo.localdemo.LocalDemo.NAME;
import static dev.leaderdemo.localdemo.LocalDemo.NAMESPACE;
import static dev.leaderdemo.localdemo.LocalDemo.OPERATOR_NAMESPACE;

import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.localdemo.FailoverStopwatch.Failover;
import dev.leaderdemo.process.DaemonThreads;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What a key (or the smoke run) does to a leader: `kubectl delete pod`, with or without
 * --grace-period=0 --force, a SIGKILL from the node, or `kubectl patch` of the replicas; each
 * failover is timed by the stopwatch.
 */
final class LeaderActions implements AutoCloseable {

  private final LocalCluster cluster;
  private final DemoWatch watch;
  private final FailoverStopwatch stopwatch;

  /**
   * A crashed leader's renewal changes neither its pod nor the status: nothing but a look tells it
   * kept the lease.
   */
  private final ScheduledExecutorService crashWatch = DaemonThreads.scheduler("crash-watch");

  LeaderActions(LocalCluster cluster, DemoWatch watch, FailoverStopwatch stopwatch) {
    this.cluster = cluster;
    this.watch = watch;
    this.stopwatch = stopwatch;
  }

  Failover deleteDemoLeader(boolean force) {
    return delete("demo leader", NAMESPACE, LeaderDemoStatus::getLeader, force);
  }

  Failover deleteOperatorLeader(boolean force) {
    return delete(
        "operator leader", OPERATOR_NAMESPACE, LeaderDemoStatus::getOperatorLeader, force);
  }

  Failover crashDemoLeader() {
    return crash("demo leader", NAMESPACE, LeaderDemoStatus::getLeader);
  }

  Failover crashOperatorLeader() {
    return crash("operator leader", OPERATOR_NAMESPACE, LeaderDemoStatus::getOperatorLeader);
  }

  /** `kubectl patch` of the LeaderDemo's replicas by {@code delta}, within 1 to 50. */
  void scale(int delta) {
    int replicas = Math.max(1, Math.min(50, watch.current().getSpec().getReplicas() + delta));
    cluster
        .mergePatch("leaderdemo", NAME, NAMESPACE, "{\"spec\":{\"replicas\":" + replicas + "}}")
        .assertSuccess();
  }

  /**
   * `kubectl delete pod`, with or without --grace-period=0 --force (both make the kubelet send
   * SIGTERM).
   */
  private Failover delete(
      String role, String namespace, Function<LeaderDemoStatus, String> field, boolean force) {
    String leader = leader(role, field);
    Failover f =
        stopwatch.begin((force ? "delete --force of " : "delete of ") + role, leader, field, -1);
    if (force) {
      cluster
          .kubectl(
              "delete",
              "pod",
              leader,
              "-n",
              namespace,
              "--grace-period=0",
              "--force",
              "--wait=false")
          .assertSuccess();
    } else {
      cluster.kubectl("delete", "pod", leader, "-n", namespace, "--wait=false").assertSuccess();
    }
    return f;
  }

  /**
   * SIGKILL from the node: nobody releases, and the kubelet restarts the container in the same pod.
   */
  private Failover crash(String role, String namespace, Function<LeaderDemoStatus, String> field) {
    String leader = leader(role, field);
    Pod pod = watch.pod(namespace, leader);
    Failover f =
        stopwatch.begin(
            "crash (SIGKILL) of " + role, leader, field, pod == null ? 0 : Pods.restarts(pod));
    cluster.signal("KILL", namespace, leader);
    var look =
        crashWatch.scheduleWithFixedDelay(
            () -> {
              if (!stopwatch.isPending(f)) {
                throw new CancellationException("another action replaced it"); // ends the schedule
              }
              Pod now = watch.pod(namespace, leader);
              if (now != null) {
                stopwatch.restartedInPlace(now);
              }
            },
            1,
            1,
            TimeUnit.SECONDS);
    f.done().whenComplete((result, error) -> look.cancel(false));
    return f;
  }

  private String leader(String role, Function<LeaderDemoStatus, String> field) {
    return watch
        .status()
        .map(field)
        .orElseThrow(() -> new IllegalStateException("no " + role + " yet"));
  }

  @Override
  public void close() {
    crashWatch.shutdownNow();
  }
}
