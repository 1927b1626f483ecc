package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two LeaderDemos in one namespace that name the same Lease: the one that claimed it first keeps
 * it, the other is told and runs no pods in a Lease it does not own, and no Lease is lost because
 * another LeaderDemo went away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaseConflictIT {

  private static final String NS = "lease-conflict-it";
  private static final String SHARED = "shared";

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  @BeforeAll
  static void start() {
    namespace.processes().operator("operator-conflict", NS, ItSupport.OPERATOR_TIMINGS);
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
    assertThat(ItSupport.leaderDemo(namespace.client(), NS, "second").getStatus().getLeader())
        .isNull();
    await("a LeaseConflict Warning Event on second", Duration.ofSeconds(30))
        .until(
            () ->
                namespace.client().v1().events().inNamespace(NS).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "second".equals(e.getInvolvedObject().getName())
                                && "Warning".equals(e.getType())
                                && "LeaseConflict".equals(e.getReason())));
    // the workflow ran before that status was written: it made no Deployment, so no pod competes
    assertThat(namespace.deployment("second")).isNull();
    assertThat(
            namespace
                .client()
                .pods()
                .inNamespace(NS)
                .withLabel(DemoLabels.INSTANCE, "second")
                .list()
                .getItems())
        .isEmpty();
    assertThat(ItSupport.leaderDemo(namespace.client(), NS, "first").getStatus().getLeader())
        .isEqualTo(firstLeader);
    assertThat(lease().getMetadata().getLabels()).containsEntry(DemoLabels.INSTANCE, "first");
  }

  @Test
  @Order(2)
  void whenTheFirstGoesTheSecondTakesTheLeaseOver() {
    namespace.client().resources(LeaderDemo.class).inNamespace(NS).withName("first").delete();

    String leader = awaitLeader("second");
    assertThat(leader).startsWith("second-");
    assertThat(lease().getMetadata().getLabels()).containsEntry(DemoLabels.INSTANCE, "second");
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
        .until(() -> "third".equals(lease().getMetadata().getLabels().get(DemoLabels.INSTANCE)));
    assertThat(lease().getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("third"));

    namespace.client().resources(LeaderDemo.class).inNamespace(NS).withName("second").delete();
    await("second's own Lease garbage-collected", Duration.ofSeconds(60))
        .until(
            () -> namespace.client().leases().inNamespace(NS).withName("elsewhere").get() == null);
    assertThat(lease().getMetadata().getUid())
        .as("the shared Lease survived second")
        .isEqualTo(uid);
    assertThat(ItSupport.leaderDemo(namespace.client(), NS, "third").getStatus().getLeader())
        .startsWith("third-");
  }

  private static void apply(String name, String leaseName) {
    namespace
        .cluster()
        .apply(NS, ItSupport.leaderDemoYaml(name, 1).leaseName(leaseName).yaml())
        .assertSuccess();
  }

  private static String awaitLeader(String name) {
    return await(name + " to report a leader of its own", Duration.ofSeconds(120))
        .until(
            () -> {
              LeaderDemo demo = ItSupport.leaderDemo(namespace.client(), NS, name);
              return demo.getStatus() == null ? null : demo.getStatus().getLeader();
            },
            leader -> leader != null && leader.startsWith(name + "-"));
  }

  private static Lease lease() {
    return namespace.client().leases().inNamespace(NS).withName(SHARED).get();
  }

  private static Condition condition(String name, String type) {
    return ItSupport.condition(namespace.client(), NS, name, type);
  }
}
