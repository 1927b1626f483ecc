package dev.leaderdemo.operator;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operator's /metrics, in Prometheus' text format: JOSDK's own (reconciliations started,
 * succeeded and failed, their duration, events received; per kind of resource, not per LeaderDemo,
 * so that 1000 LeaderDemos are not 1000 series each) and the operator's leadership.
 */
final class OperatorMetrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  OperatorMetrics(OperatorLeadership leadership) {
    Gauge.builder("leaderdemo.operator.leader", leadership, l -> l.isLeading() ? 1 : 0)
        .description("1 while this replica holds the operator's lease and reconciles, else 0")
        .register(registry);
    FunctionCounter.builder(
            "leaderdemo.operator.leader.changes", leadership, OperatorLeadership::leaderChanges)
        .description("Changes of the operator's lease holder that this replica has seen")
        .register(registry);
  }

  /** For JOSDK's configuration. */
  Metrics josdk() {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** The text Prometheus scrapes. */
  String scrape() {
    return registry.scrape();
  }
}
