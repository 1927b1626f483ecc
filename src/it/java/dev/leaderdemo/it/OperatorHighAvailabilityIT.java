package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.Watch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Several operator replicas as separate JVMs: one leads and writes, the others stand by. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorHighAvailabilityIT {

  private static final String NS = "ha-it";
  private static final String NAME = "ha";
  private static final String OPERATOR_LEASE = OperatorConfig.DEFAULT_LEASE_NAME;
  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);
  private static final List<LocalProcess> operators = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (String id : List.of("operator-a", "operator-b", "operator-c")) {
      operators.add(namespace.processes().operator(id, NS, ItSupport.OPERATOR_TIMINGS));
    }
    namespace.cluster().apply(NS, ItSupport.leaderDemoYaml(NAME, 1).yaml()).assertSuccess();
  }

  @Test
  @Order(1)
  void exactlyOneReplicaReconcilesAndNamesItself() {
    String leader =
        await("status.operatorLeader", Duration.ofSeconds(90))
            .until(OperatorHighAvailabilityIT::operatorLeader, Objects::nonNull);
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo(leader);
    await("every standby to have started its informers", Duration.ofSeconds(60))
        .until(
            () ->
                operators.stream()
                    .allMatch(p -> p.log().contains("'leaderdemo' controller started")));
    for (LocalProcess operator : operators) {
      boolean leads = operator.name().equals(leader);
      assertThat(operator.log().contains("Started event processing"))
          .as(operator.name())
          .isEqualTo(leads);
      assertThat(operator.log().contains("Writing status")).as(operator.name()).isEqualTo(leads);
      // readiness does not depend on leadership: a standby is ready to take over
      await(operator.name() + " /readyz 200", Duration.ofSeconds(30))
          .until(() -> operator.http("/readyz").statusCode() == 200);
      assertThat(operator.http("/healthz").statusCode())
          .as(operator.name() + " /healthz")
          .isEqualTo(200);
      await(operator.name() + " /leader", Duration.ofSeconds(10))
          .until(
              () ->
                  operator
                      .http("/leader")
                      .body()
                      .equals(
                          "{\"identity\":\""
                              + operator.name()
                              + "\",\"leader\":\""
                              + leader
                              + "\",\"isLeader\":"
                              + leads
                              + "}\n"));
    }
  }

  @Test
  @Order(2)
  void sigtermReleasesTheLeaseAndAStandbyTakesOver() {
    LocalProcess leader = operatorProcess(operatorLeader());
    // the metrics before: the leader leads and has reconciled, the standbys do not lead
    assertThat(metric(leader, "leaderdemo_operator_leader")).isEqualTo(1);
    assertThat(metric(leader, "operator_sdk_reconciliations_started_total")).isPositive();
    System.out.println(
        "the leader's metrics:\n"
            + leader
                .http("/metrics")
                .body()
                .lines()
                .filter(l -> l.startsWith("# TYPE"))
                .collect(java.util.stream.Collectors.joining("\n")));
    Map<String, Double> changesBefore = new java.util.HashMap<>();
    for (LocalProcess standby : operators) {
      if (standby != leader) {
        assertThat(metric(standby, "leaderdemo_operator_leader")).as(standby.name()).isZero();
        changesBefore.put(
            standby.name(), metric(standby, "leaderdemo_operator_leader_changes_total"));
      }
    }
    Lease before = lease();
    int transitions = before.getSpec().getLeaseTransitions();
    // every version of the Lease from now on: a timing cannot tell a release from an expiry 4 s
    // long
    List<LeaseSpec> versions = new CopyOnWriteArrayList<>();
    String next;
    try (Watch watch =
        namespace
            .client()
            .leases()
            .inNamespace(NS)
            .withName(OPERATOR_LEASE)
            .watch(
                before.getMetadata().getResourceVersion(),
                ItSupport.recording(l -> versions.add(l.getSpec())))) {
      leader.terminate();
      next =
          await("another replica in status.operatorLeader", Duration.ofSeconds(30))
              .until(
                  OperatorHighAvailabilityIT::operatorLeader,
                  l -> l != null && !l.equals(leader.name()));
      await("the watch to see " + next + " take the lease", Duration.ofSeconds(10))
          .until(() -> versions.stream().anyMatch(v -> next.equals(v.getHolderIdentity())));
    }
    assertThat(leader.waitForExit(Duration.ofSeconds(30))).isTrue();
    assertThat(leader.log())
        .contains(leader.name() + " released lease " + NS + "/" + OPERATOR_LEASE);
    // the release (no holder, one second) was written before anybody else held the lease
    int released =
        indexOf(
            versions,
            v ->
                (v.getHolderIdentity() == null || v.getHolderIdentity().isEmpty())
                    && Integer.valueOf(1).equals(v.getLeaseDurationSeconds()));
    int taken = indexOf(versions, v -> next.equals(v.getHolderIdentity()));
    assertThat(released)
        .as("the released Lease among %s", versions)
        .isNotNegative()
        .isLessThan(taken);
    assertThat(versions.subList(0, released))
        .as("the Lease before its release")
        .allMatch(v -> leader.name().equals(v.getHolderIdentity()));
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(transitions + 1);
    operators.remove(leader);
    // and after: the new leader's figures moved
    LocalProcess taker = operatorProcess(next);
    await(next + "'s /metrics saying it leads and has reconciled", Duration.ofSeconds(30))
        .until(
            () ->
                metric(taker, "leaderdemo_operator_leader") == 1
                    && metric(taker, "operator_sdk_reconciliations_started_total") > 0);
    assertThat(metric(taker, "leaderdemo_operator_leader_changes_total"))
        .isGreaterThan(changesBefore.get(next));
  }

  private static double metric(LocalProcess operator, String name) {
    return ItSupport.metric(operator.http("/metrics").body(), name);
  }

  @Test
  @Order(3)
  void sigkillMeansTakeoverOnlyAfterTheLeaseExpires() {
    LocalProcess leader = operatorProcess(operatorLeader());
    LeaseSpec[] lastOfOld = {lease().getSpec()};
    leader.kill();
    String next =
        await("another replica in status.operatorLeader", Duration.ofSeconds(30))
            .until(
                () -> {
                  LeaseSpec now = lease().getSpec();
                  if (leader.name().equals(now.getHolderIdentity())) {
                    lastOfOld[0] = now;
                  }
                  return operatorLeader();
                },
                l -> l != null && !l.equals(leader.name()));
    Instant seen = Instant.now();
    // nobody released: the standby waited until the killed leader's last renewal had run out
    LeaseSpec taken = lease().getSpec();
    assertThat(taken.getHolderIdentity()).isEqualTo(next);
    ItSupport.assertTakenOnlyAfterExpiry(
        lastOfOld[0], seen, taken, lastOfOld[0].getLeaseDurationSeconds());
    operators.remove(leader);
  }

  @Test
  @Order(4)
  void aLeaderPausedPastItsLeaseWritesNothingWhenItResumes() throws Exception {
    operators.add(namespace.processes().operator("operator-d", NS, ItSupport.OPERATOR_TIMINGS));
    await("operator-d warm", Duration.ofSeconds(60))
        .until(
            () -> operatorProcess("operator-d").log().contains("'leaderdemo' controller started"));
    LocalProcess paused = operatorProcess(operatorLeader());
    paused.pause();
    String next =
        await("a standby taking over from the paused leader", Duration.ofSeconds(30))
            .until(
                OperatorHighAvailabilityIT::operatorLeader,
                l -> l != null && !l.equals(paused.name()));

    // give the paused replica something to do the moment it wakes
    namespace
        .cluster()
        .mergePatch("leaderdemo", NAME, NS, "{\"spec\":{\"replicas\":2}}")
        .assertSuccess();
    long generation =
        ItSupport.leaderDemo(namespace.client(), NS, NAME).getMetadata().getGeneration();
    await("the new leader reconciling the change", Duration.ofSeconds(30))
        .until(
            () ->
                ItSupport.leaderDemo(namespace.client(), NS, NAME)
                        .getStatus()
                        .getObservedGeneration()
                    == generation);

    List<String> writers = new CopyOnWriteArrayList<>();
    AtomicBoolean annotated = new AtomicBoolean();
    // from the version read now on, so that no write after the resume can slip past a watch still
    // connecting
    String version =
        ItSupport.leaderDemo(namespace.client(), NS, NAME).getMetadata().getResourceVersion();
    try (Watch watch =
        namespace
            .client()
            .resources(LeaderDemo.class)
            .inNamespace(NS)
            .withName(NAME)
            .watch(
                version,
                ItSupport.recording(
                    demo -> {
                      writers.add(
                          demo.getStatus() == null ? "" : demo.getStatus().getOperatorLeader());
                      if (demo.getMetadata().getAnnotations() != null
                          && demo.getMetadata().getAnnotations().containsKey("it/after-resume")) {
                        annotated.set(true);
                      }
                    }))) {
      paused.resume();
      assertThat(paused.waitForExit(Duration.ofSeconds(30)))
          .as("the resumed replica exits once it sees it lost the lease")
          .isTrue();
      assertThat(paused.exitCode()).isEqualTo(1);
      // one more change: any write still in flight from the stale replica would have landed by now
      namespace
          .cluster()
          .kubectl("annotate", "leaderdemo", NAME, "-n", NS, "it/after-resume=1")
          .assertSuccess();
      await("the watch to see the annotation", Duration.ofSeconds(10)).until(annotated::get);
    }
    assertThat(writers)
        .as("operatorLeader of every write after the paused leader resumed")
        .doesNotContain(paused.name());
    assertThat(operatorLeader()).isEqualTo(next);
    assertThat(paused.log()).contains(paused.name() + " lost the operator lease");
  }

  private static String operatorLeader() {
    LeaderDemoStatus status = ItSupport.status(namespace.client(), NS, NAME);
    return status == null ? null : status.getOperatorLeader();
  }

  private static Lease lease() {
    return namespace.client().leases().inNamespace(NS).withName(OPERATOR_LEASE).get();
  }

  private static <T> int indexOf(List<T> list, Predicate<T> match) {
    return IntStream.range(0, list.size())
        .filter(i -> match.test(list.get(i)))
        .findFirst()
        .orElse(-1);
  }

  private static LocalProcess operatorProcess(String name) {
    return operators.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }
}
