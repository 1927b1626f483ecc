package dev.leaderdemo.it;

import dev.leaderdemo.local.LocalCluster;
import dev.leaderdemo.local.LocalProcesses;

import static dev.leaderdemo.it.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.local.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The status follows a real Lease held by real demo app processes. Timings 8/5/1 s here: long enough that a
 * release (about one retry period) and an expiry (a lease duration) cannot be confused on a slow machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseStatusIT {

  private static final String NS = "lease-it";
  private static final String NAME = "election";
  private static final int LEASE = 8;
  private static final int RENEW = 5;
  private static final int RETRY = 1;

  private static TestNamespace namespace;
  private static LocalCluster cluster;
  private static KubernetesClient client;
  private static LocalProcesses processes;
  private static final List<LocalProcess> demos = new ArrayList<>();

  @BeforeAll
  static void start() {
    namespace = new TestNamespace(NS);
    cluster = namespace.cluster;
    client = namespace.client;
    processes = namespace.processes;
    processes.operator("operator-lease", NS, ItSupport.OPERATOR_TIMINGS);
    cluster.kubectlWithInput("apiVersion: leaderdemo.dev/v1alpha1\nkind: LeaderDemo\nmetadata:\n  name: " + NAME
        + "\nspec:\n  replicas: 3\n  leaseDurationSeconds: " + LEASE + "\n  renewDeadlineSeconds: " + RENEW
        + "\n  retryPeriodSeconds: " + RETRY + "\n", "apply", "-n", NS, "-f", "-").assertSuccess();
    await("the operator's first status", Duration.ofSeconds(60)).until(() -> status() != null);
    String uid = ItSupport.leaderDemo(client, NS, NAME).getMetadata().getUid();
    for (int i = 0; i < 3; i++) {
      demos.add(processes.demo(NAME + "-7d9f8-pod" + i, NS, Map.of(
          "LEASE_NAME", NAME, "LEASE_DURATION_SECONDS", "" + LEASE, "RENEW_DEADLINE_SECONDS", "" + RENEW,
          "RETRY_PERIOD_SECONDS", "" + RETRY, "RELEASE_ON_CANCEL", "true", "LEADERDEMO_NAME", NAME,
          "LEADERDEMO_UID", uid)));
    }
  }

  @AfterAll
  static void stop() {
    namespace.close();
  }

  @Test
  @Order(1)
  void statusNamesTheHolderOfTheLease() {
    await("a leader in the status", Duration.ofSeconds(60)).until(() -> status().getLeader() != null);
    Lease lease = lease();
    LeaderDemoStatus status = status();
    assertThat(status.getLeader()).isEqualTo(lease.getSpec().getHolderIdentity()).startsWith(NAME + "-7d9f8-pod");
    assertThat(status.getLeaderSince())
        .isEqualTo(lease.getSpec().getAcquireTime().toInstant().truncatedTo(ChronoUnit.SECONDS).toString());
    assertThat(status.getLeaseTransitions()).isEqualTo(lease.getSpec().getLeaseTransitions());
    assertThat(condition(status, "LeaderElected").getStatus()).isEqualTo("True");
    assertThat(status.getOperatorLeader()).isEqualTo("operator-lease");
    assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", NAME);

    List<String> table = cluster.kubectl("get", "leaderdemo", "-n", NS).assertSuccess().stdout().lines().toList();
    assertThat(table.get(0).split("\\s+")).containsExactly("NAME", "LEADER", "SINCE", "TRANSITIONS", "READY",
        "OPERATOR");
    assertThat(table.get(1).split("\\s+")).containsExactly(NAME, status.getLeader(), status.getLeaderSince(),
        "" + status.getLeaseTransitions(), "0", "operator-lease");
    assertThat(leaderProcess().log()).contains(status.getLeader() + " is now the leader");
    await("every demo process logging the new leader", Duration.ofSeconds(10)).until(() ->
        demos.stream().allMatch(p -> p.log().contains("new leader is " + status.getLeader())));
    for (LocalProcess demo : demos) {
      assertThat(demo.http("/healthz").statusCode()).isEqualTo(200);
      assertThat(demo.http("/leader").body()).isEqualTo("{\"identity\":\"" + demo.name() + "\",\"leader\":\""
          + status.getLeader() + "\",\"isLeader\":" + demo.name().equals(status.getLeader()) + "}\n");
    }
  }

  @Test
  @Order(2)
  void aRenewalWritesNoStatus() {
    String resourceVersion = ItSupport.leaderDemo(client, NS, NAME).getMetadata().getResourceVersion();
    Set<String> renewTimes = new HashSet<>();
    await("three renewals of the lease", Duration.ofSeconds(30)).until(() -> {
      renewTimes.add(lease().getSpec().getRenewTime().toString());
      return renewTimes.size() >= 4;
    });
    assertThat(ItSupport.leaderDemo(client, NS, NAME).getMetadata().getResourceVersion())
        .as("the LeaderDemo was not written while its lease renewed").isEqualTo(resourceVersion);
  }

  @Test
  @Order(3)
  void sigtermHandsTheLeaseOverWithinAboutOneRetryPeriod() {
    LocalProcess leader = leaderProcess();
    int transitions = status().getLeaseTransitions();
    long signalled = System.nanoTime();
    leader.terminate();
    String next = await("a new leader in the status", Duration.ofSeconds(30))
        .until(() -> status().getLeader(), l -> l != null && !l.equals(leader.name()));
    Duration handover = Duration.ofNanos(System.nanoTime() - signalled);
    assertThat(leader.waitForExit(Duration.ofSeconds(20))).isTrue();
    assertThat(leader.log()).contains(leader.name() + " lost leadership");
    assertThat(status().getLeaseTransitions()).isEqualTo(transitions + 1);
    // a released lease is free at the next retry; an unreleased one only after the whole lease duration
    assertThat(handover).as("handover to %s after a release", next).isLessThan(Duration.ofSeconds(LEASE - 1));
    demos.remove(leader);
  }

  @Test
  @Order(4)
  void sigkillHandsTheLeaseOverOnlyOnceItExpires() {
    LocalProcess leader = leaderProcess();
    long killed = System.nanoTime();
    leader.kill();
    String next = await("a new leader in the status", Duration.ofSeconds(30))
        .until(() -> status().getLeader(), l -> l != null && !l.equals(leader.name()));
    Duration handover = Duration.ofNanos(System.nanoTime() - killed);
    // the last renewal was at most a retry period before the kill, so the lease had that much less to run
    assertThat(handover).as("handover to %s after a crash", next)
        .isGreaterThanOrEqualTo(Duration.ofSeconds(LEASE - RETRY - 1));
    demos.remove(leader);
  }

  @Test
  @Order(5)
  void withEveryDemoProcessGoneTheLeaderEmptiesOnceTheLeaseExpires() {
    demos.forEach(LocalProcess::kill);
    await("no leader in the status", Duration.ofSeconds(30)).until(() -> status().getLeader() == null);
    LeaderDemoStatus status = status();
    Condition elected = condition(status, "LeaderElected");
    assertThat(elected.getStatus()).isEqualTo("False");
    assertThat(elected.getReason()).isEqualTo("LeaseExpired");
    assertThat(status.getLeaderSince()).isNull();
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
  }

  private static LocalProcess leaderProcess() {
    String leader = Objects.requireNonNull(status().getLeader(), "no leader");
    return demos.stream().filter(p -> p.name().equals(leader)).findFirst().orElseThrow();
  }

  private static LeaderDemoStatus status() {
    LeaderDemo demo = ItSupport.leaderDemo(client, NS, NAME);
    return demo == null ? null : demo.getStatus();
  }

  private static Lease lease() {
    return client.leases().inNamespace(NS).withName(NAME).get();
  }

  private static Condition condition(LeaderDemoStatus status, String type) {
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
