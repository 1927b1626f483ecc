package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;
import static dev.leaderdemo.testkit.BoundedWait.until;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import dev.leaderdemo.testkit.OperatorReplicas;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the operator costs: time to its first reconcile, memory, and CPU while 1000 leases renew.
 */
final class FootprintBench {

  private static final String SECTION = "Footprint";

  /** metav1.MicroTime */
  private static final java.time.format.DateTimeFormatter MICRO_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX");

  private static final String JVM =
      "JVM as in the 512Mi pod: MaxRAM=512m, the image's environment "
          + BenchContext.IMAGE_ENV
          + " and its JAVA_TOOL_OPTIONS "
          + String.join(
              " ", BenchContext.OPERATOR_JVM.subList(1, BenchContext.OPERATOR_JVM.size()));
  private final BenchContext ctx;

  FootprintBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  void withNoLeaderDemos() {
    String ns = "bench-footprint";
    ctx.namespace(ns);
    try (OperatorReplicas operator =
        new OperatorReplicas(
                ctx.processes, ns, 1, BenchContext.operatorEnv("operator-footprint"), () -> {})
            .start()) {
      LocalProcess p = operator.running().get(0);
      until(
          "the operator leading",
          Duration.ofSeconds(60),
          () -> p.log().contains("starts reconciling"));
      BenchContext.window(5_000); // settle after startup before measuring
      memory(p, "0 LeaderDemos");
    }
    ctx.processes.awaitExit(Duration.ofSeconds(30));
  }

  void startToFirstReconcile() throws Exception {
    String ns = "bench-start";
    ctx.namespace(ns);
    ctx.leaderDemo(ns, "start", 1);
    List<Double> times = new ArrayList<>();
    try (Timeline<LeaderDemo> demos =
        new Timeline<>(ctx.client, LeaderDemo.class, ns, LeaderDemo::getStatus)) {
      for (int i = 0; i < ctx.trials; i++) {
        String identity = "start-" + i;
        var written =
            demos.when(
                "start",
                d -> d.getStatus() != null && identity.equals(d.getStatus().getOperatorLeader()));
        long t0 = System.nanoTime();
        LocalProcess p =
            ctx.processes.operator(identity, ns, BenchContext.operatorEnv("start-" + i));
        times.add(seconds(t0, written.get(120, TimeUnit.SECONDS)));
        p.terminate();
        p.waitForExit(Duration.ofSeconds(30));
      }
    }
    ctx.results.add(
        SECTION,
        "operator start to first reconcile",
        times,
        "s",
        "process start to its first status write; a free lease each time; " + JVM);
  }

  /**
   * With the LeaderDemos the scale benchmark left: memory, then CPU and status writes while leases
   * renew.
   */
  void withLeaderDemos(OperatorReplicas operator, String ns, int n) {
    LocalProcess p = operator.running().get(0);
    memory(p, n + " LeaderDemos");
    ScheduledExecutorService renewer = Executors.newScheduledThreadPool(8);
    AtomicLong renewals = new AtomicLong();
    try {
      for (int i = 0; i < n; i++) {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ctx.client
            .resource(
                new LeaseBuilder()
                    .withNewMetadata()
                    .withName("ld-" + i)
                    .withNamespace(ns)
                    .withLabels(DemoLabels.lease("ld-" + i))
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity("renewer-" + i)
                    .withLeaseDurationSeconds(15)
                    .withAcquireTime(now)
                    .withRenewTime(now)
                    .withLeaseTransitions(0)
                    .endSpec()
                    .build())
            .create();
      }
      int slices = 8;
      for (int s = 0; s < slices; s++) {
        int slice = s;
        renewer.scheduleAtFixedRate(
            () -> {
              for (int i = slice; i < n; i += slices) {
                String renewTime = MICRO_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
                ctx.client
                    .leases()
                    .inNamespace(ns)
                    .withName("ld-" + i)
                    .patch(
                        PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\":{\"renewTime\":\"" + renewTime + "\"}}");
                renewals.incrementAndGet();
              }
            },
            0,
            2,
            TimeUnit.SECONDS);
      }
      // renewing from the start: a Lease that expired before all were seen would never be named
      until(
          "every LeaderDemo naming its lease holder",
          Duration.ofMinutes(10),
          () ->
              ctx.client.resources(LeaderDemo.class).inNamespace(ns).list().getItems().stream()
                      .filter(d -> d.getStatus() != null && d.getStatus().getLeader() != null)
                      .count()
                  >= n);
      // as for the demo pods: a minute to settle (C2 still compiles the watch's path for half of
      // it)
      BenchContext.window(60_000);
      double cpu0 = BenchContext.cpuSeconds(p.pid());
      double writes0 = ctx.requests(BenchContext::statusWrite);
      long renewed0 = renewals.get();
      long t0 = System.nanoTime();
      BenchContext.window(60_000); // the window being measured
      double window = seconds(t0, System.nanoTime());
      double cpu = (BenchContext.cpuSeconds(p.pid()) - cpu0) / window;
      double writes = ctx.requests(BenchContext::statusWrite) - writes0;
      // and again at rest: the burst's threads have ended, its garbage is collected
      memory(p, n + " LeaderDemos, their leases renewing for 2 min");
      long renewed = renewals.get() - renewed0;
      ctx.results.single(
          SECTION,
          "CPU while idle, " + n + " leases renewing every 2 s",
          cpu * 100,
          "% of a core",
          String.format(
              java.util.Locale.ROOT,
              "%.0f renewals/s reached the API server over %.0f s",
              renewed / window,
              window));
      ctx.results.single(
          "Write amplification",
          "status writes per lease renewal (" + n + " LeaderDemos)",
          writes / renewed,
          "writes",
          (long) writes + " status writes for " + renewed + " renewals");
    } finally {
      renewer.shutdownNow();
    }
  }

  private void memory(LocalProcess p, String with) {
    ctx.results.single(
        SECTION, "resident memory, " + with, BenchContext.rssMiB(p.pid()), "MiB", JVM);
    ctx.results.single(
        SECTION,
        "heap in use after a full GC, " + with,
        BenchContext.heapAfterGcMiB(p.pid()),
        "MiB",
        null);
  }
}
