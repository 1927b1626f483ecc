package dev.leaderdemo.localdemo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.localdemo.DemoScreen.Row;
import dev.leaderdemo.localdemo.DemoScreen.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoScreenTest {

  @Test
  void showsBothLeadersEveryPodWithItsRoleAndReadinessAndTheLastFailover() {
    LeaderDemoStatus status = new LeaderDemoStatus();
    status.setLeader("demo-abc-1");
    status.setLeaderSince("2026-11-24T10:00:00Z");
    status.setLeaseTransitions(2);
    status.setOperatorLeader("op-x");
    status.setReadyReplicas(2);
    status.setFailovers(
        List.of(
            new Failover(
                "demo-abc-1", "demo-abc-0", "2026-11-24T10:00:00.000000Z", "31ms", "Released")));
    String screen =
        DemoScreen.render(
            new Snapshot(
                "default",
                "leader-election-demo",
                status,
                3,
                List.of(
                    new Row("operator leader", "op-x", "1/1", "Running", 0),
                    new Row("demo leader", "demo-abc-1", "0/1", "Pending", 2)),
                "delete pod of demo leader: demo-abc-0 -> demo-abc-1, new leader in the status"
                    + " after 0.61 s",
                null,
                "leader-election-demo-leader -> demo-abc-1 (10.244.0.7:8080)",
                "/tmp/k/kubeconfig"));

    assertThat(screen)
        .contains("demo leader        demo-abc-1   since 2026-11-24T10:00:00Z")
        .contains("lease transitions  2")
        .contains("operator leader    op-x")
        .contains("demo pods ready    2 of 3")
        .contains("last failover      delete pod of demo leader: demo-abc-0 -> demo-abc-1")
        .contains("without a leader   31ms   demo-abc-0 -> demo-abc-1 (Released, status.failovers)")
        .contains("leader Service     leader-election-demo-leader -> demo-abc-1 (10.244.0.7:8080)")
        .containsPattern("operator leader +op-x +1/1 +Running +0")
        .containsPattern("demo leader +demo-abc-1 +0/1 +Pending +2")
        .contains("export KUBECONFIG=/tmp/k/kubeconfig")
        .contains("kubectl logs -f deployment/leader-election-demo")
        .contains("kubectl get lease leader-election-demo -o yaml");
  }

  @Test
  void aFailoverUnderWayReplacesTheLastOne() {
    String screen =
        DemoScreen.render(
            new Snapshot(
                "default",
                "d",
                null,
                null,
                List.of(),
                "old",
                "crash of operator leader op-x: waiting for the new leader ...",
                null,
                "k"));
    assertThat(screen)
        .contains("demo leader        (none)")
        .contains("demo pods ready    0 of -")
        .contains("without a leader   (no failover seen yet)")
        .contains("leader Service     (none yet)")
        .contains(
            "last failover      crash of operator leader op-x: waiting for the new leader ...")
        .doesNotContain("old");
  }
}
