package dev.leaderdemo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo pod's /metrics as Prometheus reads them. */
class DemoMetricsTest {

  private final DemoMetrics metrics = new DemoMetrics();

  @Test
  void eachMetricHasItsTypeAndHelpAndStartsAtZero() {
    String text = metrics.render();

    assertThat(text)
        .contains("# TYPE leaderdemo_demo_leader gauge\nleaderdemo_demo_leader 0\n")
        .contains(
            "# TYPE leaderdemo_demo_leader_changes_total counter\n"
                + "leaderdemo_demo_leader_changes_total 0\n")
        .contains("leaderdemo_demo_lease_renewal_failures_total 0\n")
        .contains("# TYPE leaderdemo_demo_lease_renewal_duration_seconds histogram\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_count 0\n");
    assertThat(text.lines().filter(l -> l.startsWith("# HELP "))).hasSize(4);
  }

  @Test
  void leadershipChangesAndRenewalsMoveTheFigures() {
    metrics.leaderChanged();
    metrics.leading(true);
    metrics.leaderChanged();
    metrics.renewed(Duration.ofMillis(3), true);
    metrics.renewed(Duration.ofMillis(40), true);
    metrics.renewed(Duration.ofSeconds(3), false);

    String text = metrics.render();

    assertThat(text)
        .contains("leaderdemo_demo_leader 1\n")
        .contains("leaderdemo_demo_leader_changes_total 2\n")
        .contains("leaderdemo_demo_lease_renewal_failures_total 1\n")
        // buckets count every observation up to their bound
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"0.005\"} 1\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"0.05\"} 2\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"2.5\"} 2\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"5.0\"} 3\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"+Inf\"} 3\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_sum 3.043000\n")
        .contains("leaderdemo_demo_lease_renewal_duration_seconds_count 3\n");
    metrics.leading(false);
    assertThat(metrics.render()).contains("leaderdemo_demo_leader 0\n");
  }
}
