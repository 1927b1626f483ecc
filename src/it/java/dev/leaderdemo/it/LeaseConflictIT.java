package dev.leaderdemo.it;

import static dev.leaderdemo.it.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.testkit.LocalCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two LeaderDemos in one namespace that name the same Lease: the one that claimed it first keeps
 * it, the other is told and runs no pods in a Lease it does not own, and no Lease is lost because
 * another LeaderDemo went away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseConflictIT {

  private static final String NS = "lease-conflict-it";
  private static final String SHARED = "shared";

  private static TestNamespace namespace;
  private static LocalCluster cluster;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    namespace = new TestNamespace(NS);
    cluster = namespace.cluster;
    client = namespace.client;
    namespace.processes.operator("operator-conflict", NS, ItSupport.OPERATOR_TIMINGS);
  }

  @AfterAll
  static void stop() {
    namespace.close();
  }

  @Test
  @Order(1)
  void theSecondToNameALeaseIsToldAndRunsNoPods() {
    apply("first", SHARED);
    String firstLeader = awaitLeader("first");
    apply("second", SHARED);

    Condition ready =
        await("second's LeaseConflict", Duration.ofSeconds(60))
            .until(
                () -> condition("second", "Ready"),
                c -> c != null && "LeaseConflict".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .startsWith("lease shared is already used by LeaderDemo first in this namespace");
    assertThat(condition("second", "LeaderElected").getReason()).isEqualTo("LeaseConflict");
    assertThat(ItSupport.leaderDemo(client, NS, "second").getStatus().getLeader()).isNull();
    await("a LeaseConflict Warning Event on second", Duration.ofSeconds(30))
        .until(
            () ->
                client.v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "second".equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())
                                && "LeaseConflict".equals(e.getReason())));
    // the workflow ran before that status was written: it made no Deployment, so no pod competes
    assertThat(client.apps().deployments().inNamespace(NS).withName("second").get()).isNull();
    assertThat(
            client
                .pods()
                .inNamespace(NS)
                .withLabel("app.kubernetes.io/instance", "second")
                .list()
                .getItems())
        .isEmpty();
    assertThat(ItSupport.leaderDemo(client, NS, "first").getStatus().getLeader())
        .isEqualTo(firstLeader);
    assertThat(lease().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "first");
  }

  @Test
  @Order(2)
  void whenTheFirstGoesTheSecondTakesTheLeaseOver() {
    client.resources(LeaderDemo.class).inNamespace(NS).withName("first").delete();

    String leader = awaitLeader("second");
    assertThat(leader).startsWith("second-");
    assertThat(lease().getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "second");
    assertThat(condition("second", "LeaderElected").getReason()).isEqualTo("LeaseHeld");
  }

  @Test
  @Order(3)
  void aLeaseHandedOverIsNotDeletedWithTheLeaderDemoThatMadeIt() {
    apply("third", SHARED);
    await("third's LeaseConflict", Duration.ofSeconds(60))
        .until(
            () -> condition("third", "Ready"),
            c -> c != null && "LeaseConflict".equals(c.getReason()));
    String uid = lease().getMetadata().getUid();

    apply("second", "elsewhere");
    awaitLeader("third");
    await("the Lease relabelled for third", Duration.ofSeconds(30))
        .until(
            () ->
                "third"
                    .equals(lease().getMetadata().getLabels().get("app.kubernetes.io/instance")));
    assertThat(lease().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("third"));

    client.resources(LeaderDemo.class).inNamespace(NS).withName("second").delete();
    await("second's own Lease garbage-collected", Duration.ofSeconds(60))
        .until(() -> client.leases().inNamespace(NS).withName("elsewhere").get() == null);
    assertThat(lease().getMetadata().getUid())
        .as("the shared Lease survived second")
        .isEqualTo(uid);
    assertThat(ItSupport.leaderDemo(client, NS, "third").getStatus().getLeader())
        .startsWith("third-");
  }

  private static void apply(String name, String leaseName) {
    cluster
        .kubectlWithInput(
            ItSupport.leaderDemoYaml(name, 1) + "  leaseName: " + leaseName + "\n",
            "apply",
            "-n",
            NS,
            "-f",
            "-")
        .assertSuccess();
  }

  private static String awaitLeader(String name) {
    return await(name + " to report a leader of its own", Duration.ofSeconds(120))
        .until(
            () -> {
              LeaderDemo demo = ItSupport.leaderDemo(client, NS, name);
              return demo.getStatus() == null ? null : demo.getStatus().getLeader();
            },
            leader -> leader != null && leader.startsWith(name + "-"));
  }

  private static Lease lease() {
    return client.leases().inNamespace(NS).withName(SHARED).get();
  }

  private static Condition condition(String name, String type) {
    LeaderDemo demo = ItSupport.leaderDemo(client, NS, name);
    return demo == null || demo.getStatus() == null
        ? null
        : demo.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst()
            .orElse(null);
  }
}
