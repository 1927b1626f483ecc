package dev.leaderdemo.it;

import dev.leaderdemo.local.LocalCluster;
import dev.leaderdemo.local.LocalProcesses;

import static dev.leaderdemo.it.ItSupport.LEASE_SECONDS;
import static dev.leaderdemo.it.ItSupport.RETRY_SECONDS;
import static dev.leaderdemo.it.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.local.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Several operator replicas as separate JVMs: one leads and writes, the others stand by. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorHighAvailabilityIT {

  private static final String NS = "ha-it";
  private static final String NAME = "ha";
  private static TestNamespace namespace;
  private static LocalCluster cluster;
  private static KubernetesClient client;
  private static LocalProcesses processes;
  private static final List<LocalProcess> operators = new ArrayList<>();

  @BeforeAll
  static void start() {
    namespace = new TestNamespace(NS);
    cluster = namespace.cluster;
    client = namespace.client;
    processes = namespace.processes;
    for (String id : List.of("operator-a", "operator-b", "operator-c")) {
      operators.add(processes.operator(id, NS, ItSupport.OPERATOR_TIMINGS));
    }
    cluster.kubectlWithInput(ItSupport.leaderDemoYaml(NAME, 1), "apply", "-n", NS, "-f", "-").assertSuccess();
  }

  @AfterAll
  static void stop() {
    namespace.close();
  }

  @Test
  @Order(1)
  void exactlyOneReplicaReconcilesAndNamesItself() {
    String leader = await("status.operatorLeader", Duration.ofSeconds(90))
        .until(OperatorHighAvailabilityIT::operatorLeader, Objects::nonNull);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader);
    await("every standby to have started its informers", Duration.ofSeconds(60)).until(() ->
        operators.stream().allMatch(p -> p.log().contains("'leaderdemo' controller started")));
    for (LocalProcess operator : operators) {
      boolean leads = operator.name().equals(leader);
      assertThat(operator.log().contains("Started event processing")).as(operator.name()).isEqualTo(leads);
      assertThat(operator.log().contains("Writing status")).as(operator.name()).isEqualTo(leads);
      // readiness does not depend on leadership: a standby is ready to take over
      await(operator.name() + " /readyz 200", Duration.ofSeconds(30))
          .until(() -> operator.http("/readyz").statusCode() == 200);
      assertThat(operator.http("/healthz").statusCode()).as(operator.name() + " /healthz").isEqualTo(200);
      await(operator.name() + " /leader", Duration.ofSeconds(10)).until(() -> operator.http("/leader").body()
          .equals("{\"identity\":\"" + operator.name() + "\",\"leader\":\"" + leader + "\",\"isLeader\":" + leads
              + "}\n"));
    }
  }

  @Test
  @Order(2)
  void sigtermReleasesTheLeaseAndAStandbyTakesOver() {
    LocalProcess leader = operatorProcess(operatorLeader());
    int transitions = lease().getSpec().getLeaseTransitions();
    long signalled = System.nanoTime();
    leader.terminate();
    String next = await("another replica in status.operatorLeader", Duration.ofSeconds(30))
        .until(OperatorHighAvailabilityIT::operatorLeader, l -> l != null && !l.equals(leader.name()));
    Duration takeover = Duration.ofNanos(System.nanoTime() - signalled);
    assertThat(leader.waitForExit(Duration.ofSeconds(30))).isTrue();
    assertThat(leader.log()).contains(leader.name() + " released lease " + NS + "/leaderdemo-operator");
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(transitions + 1);
    // without the release the standby would wait for the lease to expire: at least its duration
    assertThat(takeover).as("takeover by %s", next).isLessThan(Duration.ofSeconds(LEASE_SECONDS + 3));
    operators.remove(leader);
  }

  @Test
  @Order(3)
  void sigkillMeansTakeoverOnlyAfterTheLeaseExpires() {
    LocalProcess leader = operatorProcess(operatorLeader());
    long killed = System.nanoTime();
    leader.kill();
    String next = await("another replica in status.operatorLeader", Duration.ofSeconds(30))
        .until(OperatorHighAvailabilityIT::operatorLeader, l -> l != null && !l.equals(leader.name()));
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    assertThat(takeover).as("takeover by %s", next)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(LEASE_SECONDS - RETRY_SECONDS - 1));
    operators.remove(leader);
  }

  @Test
  @Order(4)
  void aLeaderPausedPastItsLeaseWritesNothingWhenItResumes() throws Exception {
    operators.add(processes.operator("operator-d", NS, ItSupport.OPERATOR_TIMINGS));
    await("operator-d warm", Duration.ofSeconds(60)).until(() ->
        operatorProcess("operator-d").log().contains("'leaderdemo' controller started"));
    LocalProcess paused = operatorProcess(operatorLeader());
    paused.pause();
    String next = await("a standby taking over from the paused leader", Duration.ofSeconds(30))
        .until(OperatorHighAvailabilityIT::operatorLeader, l -> l != null && !l.equals(paused.name()));

    // give the paused replica something to do the moment it wakes
    cluster.kubectl("patch", "leaderdemo", NAME, "-n", NS, "--type=merge", "-p", "{\"spec\":{\"replicas\":2}}")
        .assertSuccess();
    long generation = ItSupport.leaderDemo(client, NS, NAME).getMetadata().getGeneration();
    await("the new leader reconciling the change", Duration.ofSeconds(30)).until(() ->
        ItSupport.leaderDemo(client, NS, NAME).getStatus().getObservedGeneration() == generation);

    List<String> writers = new CopyOnWriteArrayList<>();
    try (Watch watch = client.resources(LeaderDemo.class).inNamespace(NS).withName(NAME).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, LeaderDemo demo) {
        writers.add(demo.getStatus() == null ? "" : demo.getStatus().getOperatorLeader());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      paused.resume();
      assertThat(paused.waitForExit(Duration.ofSeconds(30)))
          .as("the resumed replica exits once it sees it lost the lease").isTrue();
      assertThat(paused.exitCode()).isEqualTo(1);
      // one more change: any write still in flight from the stale replica would have landed by now
      cluster.kubectl("annotate", "leaderdemo", NAME, "-n", NS, "it/after-resume=1").assertSuccess();
      await("the watch to see the annotation", Duration.ofSeconds(10)).until(() -> writers.size() >= 1);
    }
    assertThat(writers).as("operatorLeader of every write after the paused leader resumed")
        .doesNotContain(paused.name());
    assertThat(operatorLeader()).isEqualTo(next);
    assertThat(paused.log()).contains(paused.name() + " lost the operator lease");
  }

  private static String operatorLeader() {
    LeaderDemo demo = ItSupport.leaderDemo(client, NS, NAME);
    return demo == null || demo.getStatus() == null ? null : demo.getStatus().getOperatorLeader();
  }

  private static Lease lease() {
    return client.leases().inNamespace(NS).withName("leaderdemo-operator").get();
  }

  private static LocalProcess operatorProcess(String name) {
    return operators.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
