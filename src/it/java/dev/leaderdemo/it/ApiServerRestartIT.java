package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LeaderDemoYaml;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API server and etcd crash and restart under a running operator and demo pods. Timings here
 * (60/45/5 s) are long, so that the outage (several seconds on a loaded machine) stays within every
 * renew deadline: nobody loses a lease, and everybody has to reconnect its watches.
 */
class ApiServerRestartIT {

  private static final String NS = "restart-it";
  private static final String NAME = "restart";

  /** The operator runs with its election lease in the test's namespace (its POD_NAMESPACE). */
  private static final String OPERATOR_LEASE = OperatorConfig.DEFAULT_LEASE_NAME;

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  @Test
  void theOperatorRecoversAndTheStatusIsRightAfterwards() {
    LocalCluster cluster = namespace.cluster();
    LocalProcess operator =
        namespace
            .processes()
            .operator("operator-restart", NS, ItSupport.operatorTimings(60, 45, 5));
    cluster
        .apply(NS, LeaderDemoYaml.named(NAME).replicas(2).timings(60, 45, 5).yaml())
        .assertSuccess();
    String leader =
        await("a demo leader and 2 ready demo pods", Duration.ofSeconds(180))
            .until(
                () ->
                    status() == null || ItSupport.readyPods(namespace.client(), NS, NAME) < 2
                        ? null
                        : status().getLeader(),
                l -> l != null);

    LeaseSpec demoLease = lease(NAME);
    LeaseSpec operatorLease = lease(OPERATOR_LEASE);
    assertThat(demoLease.getHolderIdentity()).isEqualTo(leader);
    assertThat(operatorLease.getHolderIdentity()).isEqualTo("operator-restart");

    cluster.restart(Duration.ofSeconds(2), "etcd", "kube-apiserver");
    Instant restarted = Instant.now();

    // nobody lost a lease: both holders renew through the restarted API server, with no transition
    awaitRenewedSince(NAME, demoLease, restarted);
    awaitRenewedSince(OPERATOR_LEASE, operatorLease, restarted);
    assertThat(operator.isAlive()).isTrue();
    // the operator's watches work again: a handover after the restart reaches the status
    cluster.kubectl("delete", "pod", leader, "-n", NS, "--wait=false").assertSuccess();
    String next;
    try {
      // the operator's watches reconnect with a back-off of up to about 30 s
      next =
          await("the handover after the restart in the status", Duration.ofSeconds(120))
              .until(() -> status().getLeader(), l -> l != null && !l.equals(leader));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + "\n" + ItSupport.diagnostics(cluster, NS), e);
    }
    assertThat(lease(NAME).getHolderIdentity()).isEqualTo(next);
    assertThat(lease(OPERATOR_LEASE).getLeaseTransitions())
        .as("operator lease transitions")
        .isEqualTo(operatorLease.getLeaseTransitions());
    assertThat(operator.isAlive()).isTrue();
  }

  private static void awaitRenewedSince(String name, LeaseSpec before, Instant since) {
    await(
            before.getHolderIdentity() + " renewing lease " + name + " after the restart",
            Duration.ofSeconds(60))
        .until(
            () -> lease(name),
            now ->
                before.getHolderIdentity().equals(now.getHolderIdentity())
                    && Objects.equals(before.getLeaseTransitions(), now.getLeaseTransitions())
                    && now.getRenewTime().toInstant().isAfter(since));
  }

  private static LeaseSpec lease(String name) {
    return namespace.client().leases().inNamespace(NS).withName(name).get().getSpec();
  }

  private static LeaderDemoStatus status() {
    return ItSupport.status(namespace.client(), NS, NAME);
  }
}
