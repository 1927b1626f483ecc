package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;

import dev.leaderdemo.contract.DemoPodEnvironment;
import dev.leaderdemo.testkit.BoundedWait;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Leader election alone, side by side: three demo app processes (this project's elector, with the
 * demo pod's JVM options) against three processes of client-go's leaderelection
 * (hack/election-peer), on the same control plane, with the original demo's timings (15 s / 10 s /
 * 2 s, ReleaseOnCancel). Start to first leader, handover on SIGTERM and on SIGKILL, and the idle
 * cost of each replica.
 */
final class ElectionBench {

  private static final String SECTION = "Election";
  private static final String NS = "bench-election";
  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final long IDLE_WINDOW_MILLIS = 30_000;

  private record Candidates(
      String label, String lease, BiFunction<String, Map<String, String>, LocalProcess> start) {}

  private final BenchContext ctx;
  private final List<LocalProcess> running = new CopyOnWriteArrayList<>();
  private int started;

  ElectionBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  void run() throws Exception {
    ctx.namespace(NS);
    Path peer = electionPeer();
    Path logs = LocalCluster.projectDir().resolve("target/bench/logs");
    try (LocalProcesses demoJvms =
        new LocalProcesses(ctx.cluster.kubeconfig(), logs, DemoJvm.options())) {
      double baseline = leaseRequestsPerSecond();
      System.out.printf("[bench] election: %.2f lease requests/s with no candidate%n", baseline);
      List<Candidates> kinds =
          List.of(
              new Candidates(
                  "this project",
                  "java-demo",
                  (id, env) -> demoJvms.demo(id, NS, BenchContext.withImageEnv(env))),
              new Candidates(
                  "client-go",
                  "client-go",
                  (id, env) -> ctx.processes.electionPeer(peer, id, NS, env)));
      for (Candidates kind : kinds) {
        measure(kind, baseline);
      }
    }
  }

  private void measure(Candidates kind, double baseline) throws Exception {
    try (Timeline<Lease> leases =
        new Timeline<>(ctx.client, Lease.class, NS, l -> l.getSpec().getRenewTime())) {
      startToFirstLeader(kind, leases);
      startThree(kind);
      String leader = awaitSteady(kind, leases);
      idle(kind, leader, baseline);
      handovers(kind, leases, true);
      handovers(kind, leases, false);
      stopAll();
    }
  }

  /** Three replicas started together with no Lease yet, until the Lease names one of them. */
  private void startToFirstLeader(Candidates kind, Timeline<Lease> leases) throws Exception {
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < ctx.trials; i++) {
      ctx.client.leases().inNamespace(NS).withName(kind.lease()).delete();
      BoundedWait.until(
          "lease " + kind.lease() + " gone",
          Duration.ofSeconds(30),
          () -> ctx.client.leases().inNamespace(NS).withName(kind.lease()).get() == null);
      var held = leases.when(kind.lease(), ElectionBench::held);
      long t0 = System.nanoTime();
      startThree(kind);
      values.add(seconds(t0, held.get(60, TimeUnit.SECONDS)));
      stopAll();
    }
    ctx.results.add(
        SECTION,
        kind.label() + ": process start to first leader, 3 replicas, no Lease yet",
        values,
        "s",
        null);
  }

  private void idle(Candidates kind, String leader, double baseline) {
    LocalProcess leading = byName(leader);
    LocalProcess following = running.stream().filter(p -> p != leading).findFirst().orElseThrow();
    // the JIT compiles for a minute or two after a start, slowly, as the renewals run: the figure
    // is for a replica that has been running, not for one starting
    BenchContext.window(60_000);
    double requests = ctx.requests(ElectionBench::leaseRequest);
    double leaderCpu = BenchContext.cpuSeconds(leading.pid());
    double followerCpu = BenchContext.cpuSeconds(following.pid());
    BenchContext.window(IDLE_WINDOW_MILLIS); // the window being measured
    double window = IDLE_WINDOW_MILLIS / 1000.0;
    double perReplica =
        ((ctx.requests(ElectionBench::leaseRequest) - requests) / window - baseline) / 3;
    String who = kind.label() + ": ";
    ctx.results.single(
        SECTION,
        who + "CPU while idle, leader",
        100 * (BenchContext.cpuSeconds(leading.pid()) - leaderCpu) / window,
        "% of a core",
        "30 s");
    ctx.results.single(
        SECTION,
        who + "CPU while idle, follower",
        100 * (BenchContext.cpuSeconds(following.pid()) - followerCpu) / window,
        "% of a core",
        "30 s");
    ctx.results.single(
        SECTION, who + "resident memory, leader", BenchContext.rssMiB(leading.pid()), "MiB", null);
    ctx.results.single(
        SECTION,
        who + "resident memory, follower",
        BenchContext.rssMiB(following.pid()),
        "MiB",
        null);
    ctx.results.single(
        SECTION,
        who + "API requests per second while idle, per replica",
        perReplica,
        "requests/s",
        String.format(
            "Lease requests over 30 s, less %.2f/s the cluster makes without them", baseline));
  }

  private void handovers(Candidates kind, Timeline<Lease> leases, boolean graceful)
      throws Exception {
    int trials = graceful ? ctx.trials : Math.max(3, ctx.trials / 2);
    List<Double> handover = new ArrayList<>();
    List<Double> beyondExpiry = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      String leader = awaitSteady(kind, leases);
      var taken =
          leases.when(
              kind.lease(), l -> held(l) && !leader.equals(l.getSpec().getHolderIdentity()));
      LocalProcess process = byName(leader);
      long t0 = System.nanoTime();
      if (graceful) {
        process.terminate();
      } else {
        process.kill();
      }
      long tTaken = taken.get(120, TimeUnit.SECONDS);
      handover.add(seconds(t0, tTaken));
      if (!graceful) {
        long lastRenewal = leases.lastChangeBefore(kind.lease(), tTaken);
        beyondExpiry.add(seconds(lastRenewal + LEASE.toNanos(), tTaken) * 1000);
      }
      process.waitForExit(Duration.ofSeconds(30));
      running.remove(process);
      running.add(startOne(kind));
      System.out.printf(
          "[bench] election %s %s trial %d: %.3f s%n",
          kind.label(), graceful ? "graceful" : "crash", i + 1, handover.get(i));
    }
    String who = kind.label() + ": ";
    if (graceful) {
      ctx.results.add(
          SECTION,
          who + "graceful (SIGTERM): signal to a new holder in the Lease",
          handover,
          "s",
          "as a watch on the Lease sees it");
    } else {
      ctx.results.add(
          SECTION,
          who + "crash (SIGKILL): signal to a new holder in the Lease",
          handover,
          "s",
          null);
      ctx.results.add(
          SECTION,
          who + "crash: new holder after the lease duration since the last renewal seen",
          beyondExpiry,
          "ms",
          "the last renewal as a watch saw it, plus 15 s, to the new holder");
    }
  }

  private void startThree(Candidates kind) {
    for (int i = 0; i < 3; i++) {
      running.add(startOne(kind));
    }
  }

  private LocalProcess startOne(Candidates kind) {
    return kind.start()
        .apply(
            kind.lease() + "-" + (started++),
            Map.of(
                DemoPodEnvironment.LEASE_NAME,
                kind.lease(),
                DemoPodEnvironment.LEASE_DURATION_SECONDS,
                "" + LEASE.toSeconds(),
                DemoPodEnvironment.RENEW_DEADLINE_SECONDS,
                "10",
                DemoPodEnvironment.RETRY_PERIOD_SECONDS,
                "2"));
  }

  private void stopAll() {
    running.forEach(LocalProcess::terminate);
    running.forEach(p -> p.waitForExit(Duration.ofSeconds(30)));
    running.clear();
  }

  /** Three replicas running, all of which have logged the holder the Lease names. */
  private String awaitSteady(Candidates kind, Timeline<Lease> leases) {
    String[] holder = new String[1];
    BoundedWait.until(
        "a steady " + kind.label() + " leader",
        Duration.ofSeconds(120),
        () -> {
          Lease lease = leases.latest(kind.lease());
          if (lease == null || !held(lease) || running.size() != 3) {
            return false;
          }
          holder[0] = lease.getSpec().getHolderIdentity();
          return running.stream().allMatch(p -> p.log().contains("new leader is " + holder[0]));
        });
    return holder[0];
  }

  private LocalProcess byName(String name) {
    return running.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static boolean held(Lease lease) {
    String holder = lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    return holder != null && !holder.isEmpty();
  }

  private static boolean leaseRequest(Map<String, String> labels) {
    return "leases".equals(labels.get("resource"));
  }

  private double leaseRequestsPerSecond() {
    double before = ctx.requests(ElectionBench::leaseRequest);
    BenchContext.window(IDLE_WINDOW_MILLIS); // the window being measured
    return (ctx.requests(ElectionBench::leaseRequest) - before) / (IDLE_WINDOW_MILLIS / 1000.0);
  }

  /** hack/election-peer.sh builds the client-go peer if it is not built yet, and names it. */
  private static Path electionPeer() throws IOException, InterruptedException {
    Process build =
        new ProcessBuilder(LocalCluster.projectDir().resolve("hack/election-peer.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(build.getInputStream().readAllBytes()).strip();
    if (build.waitFor() != 0 || out.isEmpty()) {
      throw new IllegalStateException(
          "hack/election-peer.sh failed (exit " + build.exitValue() + ")");
    }
    return Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
  }
}
