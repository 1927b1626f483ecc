package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.testkit.ApiServerRequests;
import dev.leaderdemo.testkit.LeaderDemoYaml;
import dev.leaderdemo.testkit.LocalCluster.Follow;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The status follows a real Lease held by real demo pods on the local node. Timings 8/5/1 s here:
 * long enough that a release (about one retry period) and an expiry (a lease duration) cannot be
 * confused on a slow machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseStatusIT {

  private static final String NS = "lease-it";
  private static final String NAME = "election";
  private static final int LEASE = 8;
  private static final int RENEW = 5;
  private static final int RETRY = 1;

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);
  private static LocalProcess operator;

  @BeforeAll
  static void start() {
    operator = namespace.processes().operator("operator-lease", NS, ItSupport.OPERATOR_TIMINGS);
    namespace
        .cluster()
        .apply(NS, LeaderDemoYaml.named(NAME).replicas(3).timings(LEASE, RENEW, RETRY).yaml())
        .assertSuccess();
  }

  @Test
  @Order(1)
  void statusNamesTheHolderOfTheLease() {
    await("a leader and 3 ready demo pods in the status", Duration.ofSeconds(180))
        .until(
            () ->
                status() != null
                    && status().getLeader() != null
                    && Integer.valueOf(3).equals(status().getReadyReplicas()));
    Lease lease = lease();
    LeaderDemoStatus status = status();
    assertThat(status.getLeader())
        .isEqualTo(lease.getSpec().getHolderIdentity())
        .startsWith(NAME + "-");
    assertThat(status.getLeaderSince())
        .isEqualTo(
            lease
                .getSpec()
                .getAcquireTime()
                .toInstant()
                .truncatedTo(ChronoUnit.SECONDS)
                .toString());
    assertThat(status.getLeaseTransitions()).isEqualTo(lease.getSpec().getLeaseTransitions());
    assertThat(condition(status, "LeaderElected").getStatus()).isEqualTo("True");
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
    assertThat(status.getOperatorLeader()).isEqualTo("operator-lease");
    assertThat(lease.getMetadata().getLabels()).containsEntry(DemoLabels.INSTANCE, NAME);

    List<String> table =
        namespace
            .cluster()
            .kubectl("get", "leaderdemo", "-n", NS)
            .assertSuccess()
            .stdout()
            .lines()
            .toList();
    assertThat(table.get(0).split("\\s+"))
        .containsExactly("NAME", "LEADER", "SINCE", "TRANSITIONS", "READY", "OPERATOR");
    assertThat(table.get(1).split("\\s+"))
        .containsExactly(
            NAME,
            status.getLeader(),
            status.getLeaderSince(),
            "" + status.getLeaseTransitions(),
            "3",
            "operator-lease");
    assertThat(logs(status.getLeader())).contains(status.getLeader() + " is now the leader");
    await("every demo pod logging the new leader", Duration.ofSeconds(10))
        .until(
            () ->
                pods().stream()
                    .allMatch(p -> logs(p).contains("new leader is " + status.getLeader())));
    for (String pod : pods()) {
      // through the API server's pod proxy, as `kubectl get --raw` would reach it
      assertThat(proxy(pod, "/healthz")).isEqualTo("ok\n");
      assertThat(proxy(pod, "/leader"))
          .isEqualTo(
              "{\"identity\":\""
                  + pod
                  + "\",\"leader\":\""
                  + status.getLeader()
                  + "\",\"isLeader\":"
                  + pod.equals(status.getLeader())
                  + "}\n");
    }
  }

  @Test
  @Order(2)
  void aRenewalWritesNoStatus() {
    String resourceVersion =
        ItSupport.leaderDemo(namespace.client(), NS, NAME).getMetadata().getResourceVersion();
    Set<String> renewTimes = new HashSet<>();
    await("three renewals of the lease", Duration.ofSeconds(30))
        .until(
            () -> {
              renewTimes.add(lease().getSpec().getRenewTime().toString());
              return renewTimes.size() >= 4;
            });
    assertThat(
            ItSupport.leaderDemo(namespace.client(), NS, NAME).getMetadata().getResourceVersion())
        .as("the LeaderDemo was not written while its lease renewed")
        .isEqualTo(resourceVersion);
    // not because nobody was there to write: the operator still runs and leads
    assertThat(operator.isAlive()).as("the operator").isTrue();
    assertThat(operator.http("/leader").body()).contains("\"isLeader\":true");
  }

  @Test
  @Order(3)
  void deletingTheLeadersPodHandsTheLeaseOverBeforeItExpires() {
    String leader = status().getLeader();
    int transitions = status().getLeaseTransitions();
    Map<String, Double> changesBefore = new java.util.HashMap<>();
    for (String pod : pods()) {
      double leads = metric(pod, "leaderdemo_demo_leader");
      assertThat(leads).as(pod + " leads").isEqualTo(pod.equals(leader) ? 1 : 0);
      changesBefore.put(pod, metric(pod, "leaderdemo_demo_leader_changes_total"));
    }
    assertThat(metric(leader, "leaderdemo_demo_lease_renewal_duration_seconds_count"))
        .as("the leader's renewals")
        .isPositive();
    Map<String, Double> dependentWrites = dependentWrites();
    try (Follow logs = namespace.cluster().kubectlFollow("logs", "-f", "-n", NS, leader)) {
      await("its log followed", Duration.ofSeconds(30))
          .until(() -> logs.output().contains("is now the leader"));
      LeaseSpec[] lastOfOld = {lease().getSpec()};
      namespace
          .cluster()
          .kubectl("delete", "pod", leader, "-n", NS, "--wait=false")
          .assertSuccess();
      String next = awaitNextLeader(leader, lastOfOld, Duration.ofSeconds(30));
      // a released lease is free at the next retry; an unreleased one only a lease duration after
      // the last renewal
      // (the one before the delete is no bound: the pod may renew once more before it stops)
      assertThat(lease().getSpec().getAcquireTime())
          .as("acquisition by %s", next)
          .isBefore(lastOfOld[0].getRenewTime().plusSeconds(LEASE));
      assertThat(status().getLeaseTransitions()).isEqualTo(transitions + 1);
      Failover failover = awaitFailoverTo(next);
      assertThat(failover.getPreviousLeader()).isEqualTo(leader);
      assertThat(failover.getCause()).isEqualTo("Released");
      assertThat(ItSupport.goDuration(failover.getLeaderlessFor()))
          .as("the gap from the release to the next holder: one watch event, not a retry period")
          .isLessThan(Duration.ofSeconds(RETRY));
      assertFailoverTold(failover, leader + " released the lease");
      // the new leader's figures moved: it leads, it saw one more leader, it renews
      await(next + "'s /metrics saying it leads and renews", Duration.ofSeconds(30))
          .until(
              () ->
                  metric(next, "leaderdemo_demo_leader") == 1
                      && metric(next, "leaderdemo_demo_lease_renewal_duration_seconds_count") > 0);
      assertThat(metric(next, "leaderdemo_demo_leader_changes_total"))
          .isGreaterThan(changesBefore.get(next));
      await("the deleted pod logging that it lost leadership", Duration.ofSeconds(40))
          .until(() -> logs.output().contains(leader + " lost leadership"));
    }
    // the Deployment's status went from 3 ready to 2 and back, and the operator reconciled each
    // change; its dependents were as they should be, so none of it was a write
    await("3 ready demo pods again in the status", Duration.ofSeconds(120))
        .until(() -> status().getReadyReplicas() == 3);
    assertThat(dependentWrites())
        .as("the API server's count of writes to the dependents, before and after the failover")
        .isEqualTo(dependentWrites);
  }

  /**
   * Writes to the kinds the operator applies, as the API server counts them. Only the operator
   * writes them here; the ReplicaSets and pods the failover changes are other kinds.
   */
  private static Map<String, Double> dependentWrites() {
    return ApiServerRequests.writes(
        namespace.client(),
        Set.of("deployments", "services", "serviceaccounts", "roles", "rolebindings"));
  }

  /** The last failover, in the status and in {@code kubectl get leaderdemo -o wide}. */
  private static Failover awaitFailoverTo(String next) {
    Failover failover =
        await("a failover to " + next + " in the status", Duration.ofSeconds(30))
            .until(
                () -> status().getFailovers(),
                f -> f != null && !f.isEmpty() && next.equals(f.get(0).getLeader()))
            .get(0);
    String wide =
        namespace.cluster().kubectl("get", "leaderdemo", NAME, "-n", NS, "-o", "wide").stdout();
    // the last column, which only -o wide shows
    assertThat(wide.lines().findFirst().orElse("").strip()).endsWith("LAST FAILOVER");
    String[] row = wide.lines().skip(1).findFirst().orElse("").strip().split("\\s+");
    assertThat(row[row.length - 1]).isEqualTo(failover.getLeaderlessFor());
    assertThat(namespace.cluster().kubectl("get", "leaderdemo", NAME, "-n", NS).stdout())
        .doesNotContain("LAST FAILOVER");
    return failover;
  }

  private static void assertFailoverTold(Failover failover, String why) {
    String message =
        failover.getLeader()
            + " leads after "
            + failover.getLeaderlessFor()
            + " without a leader: "
            + why;
    await("a Failover Event: " + message, Duration.ofSeconds(30))
        .until(
            () ->
                namespace.client().v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "Failover".equals(e.getReason())
                                && NAME.equals(e.getInvolvedObject().getName())
                                && message.equals(e.getMessage())));
  }

  @Test
  @Order(4)
  void aHungLeaderIsReplacedOnlyOnceItsLeaseExpiresAndRejoinsAsAFollower() {
    await("3 ready demo pods", Duration.ofSeconds(120))
        .until(() -> ItSupport.readyPods(namespace.client(), NS, NAME) == 3);
    String leader = status().getLeader();
    namespace.cluster().signal("STOP", NS, leader);
    LeaseSpec[] lastOfOld = {lease().getSpec()};
    String next = awaitNextLeader(leader, lastOfOld, Duration.ofSeconds(60));
    ItSupport.assertTakenOnlyAfterExpiry(lastOfOld[0], Instant.now(), lease().getSpec(), LEASE);
    Failover failover = awaitFailoverTo(next);
    assertThat(failover.getPreviousLeader()).isEqualTo(leader);
    assertThat(failover.getCause()).isEqualTo("Expired");
    assertFailoverTold(failover, leader + "'s lease expired");
    namespace.cluster().signal("CONT", NS, leader);
    await("the woken pod logging that it lost leadership", Duration.ofSeconds(30))
        .until(() -> logs(leader).contains(leader + " lost leadership"));
    // and rejoins as a follower: it names the new leader and does not claim to lead
    String follower =
        "{\"identity\":\"" + leader + "\",\"leader\":\"" + next + "\",\"isLeader\":false}\n";
    await("the woken pod following " + next, Duration.ofSeconds(30))
        .until(
            () ->
                namespace
                    .cluster()
                    .kubectl(
                        "get",
                        "--raw",
                        "/api/v1/namespaces/" + NS + "/pods/" + leader + ":8080/proxy/leader")
                    .stdout()
                    .equals(follower));
    assertThat(status().getLeader()).isEqualTo(next);
  }

  @Test
  @Order(5)
  void withEveryDemoPodHungTheLeaderEmptiesOnceTheLeaseExpires() {
    List<String> pods = pods();
    pods.forEach(pod -> namespace.cluster().signal("STOP", NS, pod));
    try {
      await("no leader in the status", Duration.ofSeconds(30))
          .until(() -> status().getLeader() == null);
      LeaderDemoStatus status = status();
      Condition elected = condition(status, "LeaderElected");
      assertThat(elected.getStatus()).isEqualTo("False");
      assertThat(elected.getReason()).isEqualTo("LeaseExpired");
      assertThat(status.getLeaderSince()).isNull();
      assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    } finally {
      pods.forEach(pod -> namespace.cluster().signal("CONT", NS, pod));
    }
  }

  /**
   * Waits for a leader other than {@code leader} in the status; meanwhile keeps in {@code
   * lastOfOld} the last Lease record that still named the old leader.
   */
  private static String awaitNextLeader(String leader, LeaseSpec[] lastOfOld, Duration atMost) {
    return await("a new leader in the status", atMost)
        .until(
            () -> {
              LeaseSpec now = lease().getSpec();
              if (leader.equals(now.getHolderIdentity())) {
                lastOfOld[0] = now;
              }
              return status().getLeader();
            },
            l -> l != null && !l.equals(leader));
  }

  private static List<String> pods() {
    return ItSupport.livePods(namespace.client(), NS, NAME).stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private static String logs(String pod) {
    return namespace.cluster().kubectl("logs", "-n", NS, pod).stdout();
  }

  private static double metric(String pod, String name) {
    return ItSupport.metric(proxy(pod, "/metrics"), name);
  }

  private static String proxy(String pod, String path) {
    return namespace
        .cluster()
        .kubectl("get", "--raw", "/api/v1/namespaces/" + NS + "/pods/" + pod + ":8080/proxy" + path)
        .assertSuccess()
        .stdout();
  }

  private static LeaderDemoStatus status() {
    return ItSupport.status(namespace.client(), NS, NAME);
  }

  private static Lease lease() {
    return namespace.client().leases().inNamespace(NS).withName(NAME).get();
  }

  private static Condition condition(LeaderDemoStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
