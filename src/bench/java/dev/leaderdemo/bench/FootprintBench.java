package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;
import static dev.leaderdemo.testkit.BoundedWait.until;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.apiserver.ApiException;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import dev.leaderdemo.testkit.OperatorReplicas;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.net.HttpURLConnection;
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

  /**
   * Renewing threads, each with a connection of its own: each renews every RENEWERS-th Lease in
   * turn, every 2 s. On the client's default 8 connections, one run's rounds overran their 2 s and
   * the late ones ran back to back: 572 renewals a second instead of 500.
   */
  private static final int RENEWERS = 16;

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

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
    ScheduledExecutorService renewer = Executors.newScheduledThreadPool(RENEWERS);
    AtomicLong renewals = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    try (ApiServer api = ApiServer.forConfig(ctx.client.getConfiguration(), RENEWERS)) {
      for (int s = 0; s < RENEWERS; s++) {
        int slice = s;
        renewer.scheduleAtFixedRate(
            () -> {
              for (int i = slice; i < n; i += RENEWERS) {
                try {
                  renew(api, ns, "ld-" + i);
                  renewals.incrementAndGet();
                } catch (RuntimeException e) {
                  // a task that throws is never run again: count it, and renew the rest
                  failures.incrementAndGet();
                }
              }
            },
            0,
            2,
            TimeUnit.SECONDS);
      }
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
      long failed0 = failures.get();
      long t0 = System.nanoTime();
      BenchContext.window(60_000); // the window being measured
      double window = seconds(t0, System.nanoTime());
      double cpu = (BenchContext.cpuSeconds(p.pid()) - cpu0) / window;
      double writes = ctx.requests(BenchContext::statusWrite) - writes0;
      long renewed = renewals.get() - renewed0;
      long failed = failures.get() - failed0;
      // and again at rest: the burst's threads have ended, its garbage is collected
      memory(p, n + " LeaderDemos, their leases renewing for 2 min");
      ctx.results.single(
          SECTION,
          "CPU while idle, " + n + " leases renewing every 2 s",
          cpu * 100,
          "% of a core",
          String.format(
              java.util.Locale.ROOT,
              "%.0f renewals/s reached the API server over %.0f s (%d failed)",
              renewed / window,
              window,
              failed));
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

  /**
   * One merge patch of renewTime, as a holder renews; the first one creates the Lease. Not through
   * fabric8's client: its patch of a named resource reads it first, two requests per renewal, and
   * on a loaded machine the renewals then fell so far behind that Leases expired.
   */
  private void renew(ApiServer api, String ns, String name) {
    String now = MICRO_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
    try {
      api.patch(
          "/apis/coordination.k8s.io/v1/namespaces/" + ns + "/leases/" + name,
          ApiServer.MERGE_PATCH,
          "{\"spec\":{\"renewTime\":\"" + now + "\"}}",
          REQUEST_TIMEOUT);
    } catch (ApiException e) {
      if (e.code() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      ZonedDateTime at = ZonedDateTime.now(ZoneOffset.UTC);
      ctx.client
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .withLabels(DemoLabels.lease(name))
                  .endMetadata()
                  .withNewSpec()
                  .withHolderIdentity("renewer-" + name.substring("ld-".length()))
                  .withLeaseDurationSeconds(15)
                  .withAcquireTime(at)
                  .withRenewTime(at)
                  .withLeaseTransitions(0)
                  .endSpec()
                  .build())
          .create();
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
