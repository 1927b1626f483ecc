package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;
import static dev.leaderdemo.testkit.BoundedWait.until;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import dev.leaderdemo.testkit.OperatorReplicas;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operator failover: two replicas, one LeaderDemo; from the signal to the leader until the new
 * leader's first status write (the status names it). Graceful with the lease release, graceful with
 * JOSDK's stock behaviour (no release), and a crash, whose bound is the lease's remaining time at
 * the kill.
 */
final class OperatorFailoverBench {

  private static final String SECTION = "Operator failover";
  private final BenchContext ctx;

  OperatorFailoverBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  void run() throws Exception {
    List<Double> graceful = trials("release", true, false, null);
    ctx.results.add(
        SECTION,
        "graceful (SIGTERM), lease released",
        graceful,
        "s",
        "signal to the new leader's first status write");
    List<Double> stock = trials("stock", true, true, null);
    ctx.results.add(
        SECTION,
        "graceful (SIGTERM), JOSDK stock: no release",
        stock,
        "s",
        "baseline: the standby waits for the lease to expire");
    List<Double> bound = new ArrayList<>();
    List<Double> crash = trials("crash", false, false, bound);
    ctx.results.add(
        SECTION, "crash (SIGKILL)", crash, "s", "signal to the new leader's first status write");
    ctx.results.add(
        SECTION,
        "crash: the bound (lease time left at the kill)",
        bound,
        "s",
        "no takeover can come sooner");
    List<Double> beyond = new ArrayList<>();
    for (int i = 0; i < crash.size(); i++) {
      beyond.add(crash.get(i) - bound.get(i));
    }
    ctx.results.add(
        SECTION,
        "crash: failover beyond the bound",
        beyond,
        "s",
        "retry period jitter, startup of event processing, the status write");
  }

  private List<Double> trials(String mode, boolean graceful, boolean stock, List<Double> bound)
      throws Exception {
    String ns = "bench-operator-" + mode;
    ctx.namespace(ns);
    ctx.leaderDemo(ns, "op", 1);
    Map<String, String> env = BenchContext.operatorEnv("operator-" + mode);
    if (stock) {
      env.put(OperatorConfig.ENV_RELEASE_ON_SHUTDOWN, "false");
    }
    List<Double> failovers = new ArrayList<>();
    try (Timeline<LeaderDemo> demos =
            new Timeline<>(ctx.client, LeaderDemo.class, ns, LeaderDemo::getStatus);
        OperatorReplicas replicas =
            new OperatorReplicas(ctx.processes, ns, 2, env, () -> {}).start()) {
      for (int i = 0; i < ctx.trials; i++) {
        LocalProcess leader = awaitSteadyLeader(ns, mode, demos, replicas);
        Lease lease = ctx.client.leases().inNamespace(ns).withName("operator-" + mode).get();
        var next =
            demos.when(
                "op",
                BenchContext.namesOtherThan(LeaderDemoStatus::getOperatorLeader, leader.name()));
        Instant killedAt = Instant.now();
        long t0 = System.nanoTime();
        if (graceful) {
          leader.terminate();
        } else {
          leader.kill();
        }
        long t1 = next.get(120, TimeUnit.SECONDS);
        failovers.add(seconds(t0, t1));
        if (bound != null) {
          Instant expiry =
              lease
                  .getSpec()
                  .getRenewTime()
                  .toInstant()
                  .plusSeconds(lease.getSpec().getLeaseDurationSeconds());
          bound.add(Math.max(0, Duration.between(killedAt, expiry).toNanos() / 1e9));
        }
        System.out.printf("[bench] operator %s trial %d: %.2f s%n", mode, i + 1, failovers.get(i));
      }
    }
    ctx.processes.awaitExit(Duration.ofSeconds(30));
    return failovers;
  }

  /**
   * Two warm replicas, the status written by the lease holder, and one renewal since: a steady
   * state.
   */
  private LocalProcess awaitSteadyLeader(
      String ns, String mode, Timeline<LeaderDemo> demos, OperatorReplicas replicas) {
    String leader =
        BenchContext.awaitSteadyLeader(
            "two warm operator replicas and a leader that wrote the status",
            Duration.ofSeconds(120),
            () -> ctx.client.leases().inNamespace(ns).withName("operator-" + mode).get(),
            () -> demos.latest("op"),
            LeaderDemoStatus::getOperatorLeader,
            holder -> {
              List<LocalProcess> running = replicas.running();
              return running.size() == 2
                  && running.stream()
                      .allMatch(p -> p.log().contains("Operator leader is now " + holder));
            });
    Lease before = ctx.client.leases().inNamespace(ns).withName("operator-" + mode).get();
    until(
        "a renewal of the operator lease",
        Duration.ofSeconds(30),
        () ->
            !ctx.client
                .leases()
                .inNamespace(ns)
                .withName("operator-" + mode)
                .get()
                .getSpec()
                .getRenewTime()
                .equals(before.getSpec().getRenewTime()));
    return replicas.running().stream()
        .filter(p -> p.name().equals(leader))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("leader " + leader + " is not one of the replicas"));
  }
}
