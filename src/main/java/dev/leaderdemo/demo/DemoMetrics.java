package dev.leaderdemo.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The demo pod's /metrics, in Prometheus' text format (version 0.0.4), written by hand: a metrics
 * library would cost the pod more memory than all the rest of its figures. Thread-safe; the
 * elector's thread records, the HTTP thread renders.
 */
public final class DemoMetrics {

  /** Upper bounds, in seconds, of the renewal latency histogram's buckets. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private volatile boolean leading;
  private final AtomicLong leaderChanges = new AtomicLong();
  private final AtomicLong renewalFailures = new AtomicLong();
  private final AtomicLongArray buckets = new AtomicLongArray(BUCKETS.length);
  private final AtomicLong renewals = new AtomicLong();
  private final AtomicLong renewalNanos = new AtomicLong();

  void leading(boolean now) {
    leading = now;
  }

  /** A new holder of the Lease, this pod or another, seen in the Lease. */
  void leaderChanged() {
    leaderChanges.incrementAndGet();
  }

  /** One renewal request of this leader: how long it took, whether the API server took it. */
  void renewed(Duration took, boolean succeeded) {
    double seconds = took.toNanos() / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        buckets.incrementAndGet(i);
      }
    }
    renewalNanos.addAndGet(took.toNanos());
    renewals.incrementAndGet();
    if (!succeeded) {
      renewalFailures.incrementAndGet();
    }
  }

  public String render() {
    StringBuilder out = new StringBuilder(1024);
    metric(
        out,
        "leaderdemo_demo_leader",
        "gauge",
        "1 while this pod holds the demo Lease and acts as leader, else 0");
    out.append("leaderdemo_demo_leader ").append(leading ? 1 : 0).append('\n');
    metric(
        out,
        "leaderdemo_demo_leader_changes_total",
        "counter",
        "New holders of the demo Lease that this pod has seen, itself included");
    out.append("leaderdemo_demo_leader_changes_total ").append(leaderChanges.get()).append('\n');
    metric(
        out,
        "leaderdemo_demo_lease_renewal_failures_total",
        "counter",
        "Renewals of the demo Lease by this pod, as leader, that the API server did not take");
    out.append("leaderdemo_demo_lease_renewal_failures_total ")
        .append(renewalFailures.get())
        .append('\n');
    metric(
        out,
        "leaderdemo_demo_lease_renewal_duration_seconds",
        "histogram",
        "How long each renewal request of the demo Lease by this pod, as leader, took");
    long count = renewals.get();
    for (int i = 0; i < BUCKETS.length; i++) {
      out.append("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"")
          .append(bound(BUCKETS[i]))
          .append("\"} ")
          .append(buckets.get(i))
          .append('\n');
    }
    out.append("leaderdemo_demo_lease_renewal_duration_seconds_bucket{le=\"+Inf\"} ")
        .append(count)
        .append('\n');
    out.append("leaderdemo_demo_lease_renewal_duration_seconds_sum ")
        .append(String.format(Locale.ROOT, "%.6f", renewalNanos.get() / 1e9))
        .append('\n');
    out.append("leaderdemo_demo_lease_renewal_duration_seconds_count ").append(count).append('\n');
    return out.toString();
  }

  private static void metric(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static String bound(double seconds) {
    return seconds == Math.rint(seconds)
        ? String.format(Locale.ROOT, "%.1f", seconds)
        : Double.toString(seconds);
  }
}
