package dev.leaderdemo.it;

import dev.leaderdemo.local.LocalCluster;

import static dev.leaderdemo.it.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.local.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The API server and etcd restart under a running operator and demo pods. Timings here are the defaults', so that
 * the outage stays within every renew deadline: nobody loses a lease, and everybody has to reconnect its watches.
 */
class ApiServerRestartIT {

  private static final String NS = "restart-it";
  private static final String NAME = "restart";
  private static TestNamespace namespace;
  private static KubernetesClient client;

  @AfterAll
  static void stop() {
    if (namespace != null) {
      namespace.close();
    }
  }

  @Test
  void theOperatorRecoversAndTheStatusIsRightAfterwards() {
    namespace = new TestNamespace(NS);
    LocalCluster cluster = namespace.cluster;
    client = namespace.client;
    LocalProcess operator = namespace.processes.operator("operator-restart", NS, Map.of(
        "LEADER_ELECTION_LEASE_DURATION", "15s", "LEADER_ELECTION_RENEW_DEADLINE", "10s",
        "LEADER_ELECTION_RETRY_PERIOD", "2s", "DEMO_IMAGE", LocalCluster.IMAGE));
    cluster.kubectlWithInput("apiVersion: leaderdemo.dev/v1alpha1\nkind: LeaderDemo\nmetadata:\n  name: " + NAME
        + "\nspec:\n  replicas: 2\n", "apply", "-n", NS, "-f", "-").assertSuccess();
    String leader = await("a demo leader and 2 ready demo pods", Duration.ofSeconds(180)).until(
        () -> status() == null || ItSupport.readyPods(client, NS, NAME) < 2 ? null : status().getLeader(),
        l -> l != null);

    cluster.restart(Duration.ofSeconds(2), "etcd", "kube-apiserver");

    assertThat(operator.isAlive()).isTrue();
    assertThat(status().getLeader()).isEqualTo(leader);
    // the operator's watches work again: a handover after the restart reaches the status
    cluster.kubectl("delete", "pod", leader, "-n", NS, "--wait=false").assertSuccess();
    String next = await("the handover after the restart in the status", Duration.ofSeconds(60))
        .until(() -> status().getLeader(), l -> l != null && !l.equals(leader));
    assertThat(next).startsWith(NAME + "-");
    assertThat(client.leases().inNamespace(NS).withName(NAME).get().getSpec().getHolderIdentity()).isEqualTo(next);
    assertThat(status().getOperatorLeader()).isEqualTo("operator-restart");
    assertThat(operator.isAlive()).isTrue();
  }

  private static LeaderDemoStatus status() {
    var demo = ItSupport.leaderDemo(client, NS, NAME);
    return demo == null ? null : demo.getStatus();
  }
}
