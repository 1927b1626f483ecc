package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.DemoPodEnvironment;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import dev.leaderdemo.testkit.OperatorReplicas;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Demo failover: three demo processes on one Lease and one operator; from the signal to the leader
 * until the LeaderDemo's status names the new one, split into the lease handover (signal to the new
 * holder's acquisition, as the watch sees it) and propagation (that Lease seen to the status
 * written). Also counts status writes per handover and per plain renewal.
 */
final class DemoFailoverBench {

  private static final String SECTION = "Demo failover";
  private static final String NS = "bench-demo";
  private static final String NAME = "demo";
  private final BenchContext ctx;
  private final List<LocalProcess> demos = new CopyOnWriteArrayList<>();
  private int started;
  private String uid;

  DemoFailoverBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  void run() throws Exception {
    ctx.namespace(NS);
    uid = ctx.leaderDemo(NS, NAME, 3).getMetadata().getUid();
    List<Double> propagation = new ArrayList<>();
    try (Timeline<LeaderDemo> statuses =
            new Timeline<>(ctx.client, LeaderDemo.class, NS, LeaderDemo::getStatus);
        Timeline<Lease> leases =
            new Timeline<>(ctx.client, Lease.class, NS, l -> l.getSpec().getRenewTime());
        OperatorReplicas operator =
            new OperatorReplicas(
                    ctx.processes, NS, 1, BenchContext.operatorEnv("operator-demo"), () -> {})
                .start()) {
      for (int i = 0; i < 3; i++) {
        startDemo();
      }
      for (boolean graceful : new boolean[] {true, false}) {
        List<Double> total = new ArrayList<>();
        List<Double> handover = new ArrayList<>();
        List<Double> writes = new ArrayList<>();
        for (int i = 0; i < ctx.trials; i++) {
          String leader = awaitSteady(statuses, leases);
          int writesBefore = statuses.changes(NAME);
          var leaseMoved =
              leases.when(
                  NAME,
                  l ->
                      l.getSpec().getHolderIdentity() != null
                          && !l.getSpec().getHolderIdentity().equals(leader));
          var statusMoved =
              statuses.when(NAME, BenchContext.namesOtherThan(LeaderDemoStatus::getLeader, leader));
          LocalProcess process =
              demos.stream().filter(p -> p.name().equals(leader)).findFirst().orElseThrow();
          long t0 = System.nanoTime();
          if (graceful) {
            process.terminate();
          } else {
            process.kill();
          }
          long tLease = leaseMoved.get(120, TimeUnit.SECONDS);
          long tStatus = statusMoved.get(120, TimeUnit.SECONDS);
          total.add(seconds(t0, tStatus));
          handover.add(seconds(t0, tLease));
          propagation.add(seconds(tLease, tStatus) * 1000);
          demos.remove(process);
          startDemo();
          awaitSteady(statuses, leases);
          writes.add((double) (statuses.changes(NAME) - writesBefore));
          System.out.printf(
              "[bench] demo %s trial %d: %.2f s%n",
              graceful ? "graceful" : "crash", i + 1, total.get(i));
        }
        String kind = graceful ? "graceful (SIGTERM), lease released" : "crash (SIGKILL)";
        ctx.results.add(SECTION, kind + ": signal to new leader in status", total, "s", null);
        ctx.results.add(
            SECTION, kind + ": lease handover", handover, "s", "signal to the new holder's Lease");
        ctx.results.add(
            "Write amplification",
            "status writes per " + (graceful ? "graceful" : "crash") + " handover",
            writes,
            "writes",
            graceful
                ? "two changes of holder: to nobody (release), then to the next pod"
                : "two changes reported: the expiry (no leader), then the next pod");
      }
      ctx.results.add(
          SECTION,
          "propagation: new Lease seen to status written",
          propagation,
          "ms",
          99,
          "both handovers; a watch event, a reconcile, a status patch, a watch event");
      renewalWrites(statuses, leases);
    }
    demos.forEach(LocalProcess::terminate);
    ctx.processes.awaitExit(Duration.ofSeconds(30));
  }

  /** Status writes while the Lease only renews: 30 s, about 15 renewals. */
  private void renewalWrites(Timeline<LeaderDemo> statuses, Timeline<Lease> leases) {
    awaitSteady(statuses, leases);
    int writes = statuses.changes(NAME);
    int renewals = leases.changes(NAME);
    BenchContext.window(30_000); // the window being measured
    int renewed = leases.changes(NAME) - renewals;
    ctx.results.single(
        "Write amplification",
        "status writes per lease renewal (1 LeaderDemo, 30 s)",
        (statuses.changes(NAME) - writes) / (double) renewed,
        "writes",
        renewed + " renewals seen");
  }

  private void startDemo() {
    Map<String, String> env = new HashMap<>(BenchContext.IMAGE_ENV);
    env.put(DemoPodEnvironment.LEASE_NAME, NAME);
    env.put(DemoPodEnvironment.LEADERDEMO_NAME, NAME);
    env.put(DemoPodEnvironment.LEADERDEMO_UID, uid);
    demos.add(ctx.processes.demo(NAME + "-pod-" + (started++), NS, env));
  }

  /** Three demo processes that have all seen the current holder, which the status names. */
  private String awaitSteady(Timeline<LeaderDemo> statuses, Timeline<Lease> leases) {
    return BenchContext.awaitSteadyLeader(
        "a steady demo leader",
        Duration.ofSeconds(120),
        () -> leases.latest(NAME),
        () -> statuses.latest(NAME),
        LeaderDemoStatus::getLeader,
        holder ->
            demos.size() == 3
                && demos.stream().allMatch(p -> p.log().contains("new leader is " + holder)));
  }
}
