package dev.leaderdemo.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The operator's own figures in its Prometheus scrape, moving with its leadership. */
class OperatorMetricsTest {

  @Test
  void leadingAndChangesOfLeaderShowInTheScrape() throws Exception {
    OperatorLeadership leadership =
        new OperatorLeadership("op-a", Duration.ofSeconds(10), System::nanoTime, () -> {});
    OperatorMetrics metrics = new OperatorMetrics(leadership);

    assertThat(metrics.scrape())
        .contains("# TYPE leaderdemo_operator_leader gauge")
        .contains("leaderdemo_operator_leader 0.0")
        .contains("# TYPE leaderdemo_operator_leader_changes_total counter")
        .contains("leaderdemo_operator_leader_changes_total 0.0");

    LeaderCallbacks callbacks = leadership.callbacks();
    callbacks.onNewLeader("op-b");
    callbacks.onNewLeader("op-a");
    callbacks.onStartLeading();

    assertThat(metrics.scrape())
        .contains("leaderdemo_operator_leader 1.0")
        .contains("leaderdemo_operator_leader_changes_total 2.0");
  }
}
