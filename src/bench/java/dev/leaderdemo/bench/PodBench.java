package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;
import static dev.leaderdemo.testkit.BoundedWait.until;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same failovers as pods on the local node, driven as a user drives them: `make deploy`, the
 * sample, and `kubectl delete pod` with and without --grace-period=0 --force. Also the time from
 * `kubectl apply` of the sample to its first leader, and the resident memory of a demo pod's and an
 * operator pod's JVM.
 */
final class PodBench {

  private static final String SECTION = "Pods on the local node";
  private static final String NS = "bench-pods";
  private static final String SYSTEM_NS = "leaderdemo-system";
  private static final String NAME = "leader-election-demo";
  private static final String OPERATOR_LEASE = OperatorConfig.DEFAULT_LEASE_NAME;
  private final BenchContext ctx;
  private final LocalCluster cluster;

  PodBench(BenchContext ctx) {
    this.ctx = ctx;
    this.cluster = ctx.cluster;
  }

  void run() throws Exception {
    cluster.loadProjectImage();
    cluster.make("deploy", "IMG=" + LocalCluster.IMAGE);
    ctx.namespace(NS);
    try (Timeline<LeaderDemo> statuses =
            new Timeline<>(ctx.client, LeaderDemo.class, NS, LeaderDemo::getStatus);
        Timeline<Lease> demoLeases =
            new Timeline<>(ctx.client, Lease.class, NS, l -> l.getSpec().getRenewTime());
        Timeline<Lease> operatorLeases =
            new Timeline<>(ctx.client, Lease.class, SYSTEM_NS, l -> l.getSpec().getRenewTime())) {
      until(
          "2 ready operator pods",
          Duration.ofMinutes(3),
          () -> operatorPods().stream().filter(Pods::isReady).count() == 2);
      startToFirstLeader(demoLeases);
      memory();
      for (boolean force : new boolean[] {false, true}) {
        failovers("demo", NS, NAME, force, statuses, demoLeases, s -> s.getLeader());
      }
      for (boolean force : new boolean[] {false, true}) {
        failovers(
            "operator",
            SYSTEM_NS,
            OPERATOR_LEASE,
            force,
            statuses,
            operatorLeases,
            s -> s.getOperatorLeader());
      }
    } finally {
      cluster.kubectl("delete", "namespace", NS, "--wait=true", "--timeout=120s");
      cluster.undeploy();
    }
  }

  /**
   * `kubectl apply -f samples/leaderdemo.yaml` to a holder in its Lease and to 3 ready pods, from
   * no Lease.
   */
  private void startToFirstLeader(Timeline<Lease> leases) throws Exception {
    List<Double> toLeader = new ArrayList<>();
    List<Double> toReady = new ArrayList<>();
    List<Double> processToLeader = new ArrayList<>();
    int trials = Math.min(ctx.trials, 5);
    for (int i = 0; i < trials; i++) {
      var led =
          leases.when(
              NAME,
              l ->
                  l.getSpec().getHolderIdentity() != null
                      && !l.getSpec().getHolderIdentity().isEmpty());
      long t0 = System.nanoTime();
      cluster.kubectl("apply", "-n", NS, "-f", sample()).assertSuccess();
      toLeader.add(seconds(t0, led.get(180, TimeUnit.SECONDS)));
      String holder =
          ctx.client.leases().inNamespace(NS).withName(NAME).get().getSpec().getHolderIdentity();
      Matcher[] logged = {null};
      until(
          holder + " logging how soon after its start it led",
          Duration.ofSeconds(30),
          () -> {
            logged[0] = LEADER_AFTER.matcher(cluster.kubectl("logs", "-n", NS, holder).stdout());
            return logged[0].find();
          });
      processToLeader.add(Double.parseDouble(logged[0].group(1)) / 1000);
      until(
          "3 ready demo pods",
          Duration.ofMinutes(3),
          () -> demoPods().stream().filter(Pods::isReady).count() == 3);
      toReady.add(seconds(t0, System.nanoTime()));
      System.out.printf(
          "[bench] pods: apply to first leader %.2f s, to 3 ready pods %.2f s%n",
          toLeader.get(i), toReady.get(i));
      if (i < trials - 1) {
        cluster.kubectl("delete", "-n", NS, "-f", sample(), "--wait=true").assertSuccess();
        until(
            "the sample's pods and Lease gone",
            Duration.ofMinutes(3),
            () ->
                demoPods().isEmpty()
                    && ctx.client.leases().inNamespace(NS).withName(NAME).get() == null);
      }
    }
    ctx.results.add(
        SECTION,
        "kubectl apply of the sample to its first leader",
        toLeader,
        "s",
        "no Lease yet: scheduling, sandbox, container, JVM start, first election");
    ctx.results.add(
        SECTION,
        "demo pod: process start to leading, no Lease yet",
        processToLeader,
        "s",
        "the first leader's log; 3 pods starting together; the image's class data archive");
    ctx.results.add(
        SECTION,
        "kubectl apply of the sample to 3 ready pods",
        toReady,
        "s",
        "readiness probe every 5 s");
  }

  private void memory() {
    // first the CPU: the memory is then that of pods which have run for two minutes
    idleCpu();
    List<Double> demo = new ArrayList<>();
    for (Pod pod : demoPods()) {
      demo.add(rss(NS, pod.getMetadata().getName()));
    }
    List<Double> operator = new ArrayList<>();
    for (Pod pod : operatorPods()) {
      operator.add(rss(SYSTEM_NS, pod.getMetadata().getName()));
    }
    ctx.results.add(
        SECTION,
        "resident memory of a demo pod's JVM",
        demo,
        "MiB",
        "limit "
            + DemoJvm.memoryLimit()
            + ", the JVM options of the demo Deployment; after two minutes");
    ctx.results.add(
        SECTION,
        "resident memory of an operator pod's JVM",
        operator,
        "MiB",
        "limit 512Mi; one LeaderDemo; leader and standby");
  }

  private static final Pattern LEADER_AFTER =
      Pattern.compile("is now the leader, (\\d+) ms after its process started");

  /**
   * CPU of each demo pod's JVM over 60 s after a minute's settling (as the election section
   * measures its processes: C1 keeps compiling for that long), leader and followers apart.
   */
  private void idleCpu() {
    String leader =
        ctx.client.leases().inNamespace(NS).withName(NAME).get().getSpec().getHolderIdentity();
    BenchContext.window(
        60_000); // let the JIT settle: the figure is for a pod that has been running
    Map<String, Long> pids = new HashMap<>();
    Map<String, Double> before = new HashMap<>();
    for (Pod pod : demoPods()) {
      String name = pod.getMetadata().getName();
      long pid = cluster.containerPids(NS, name).get(0);
      pids.put(name, pid);
      before.put(name, BenchContext.cpuSeconds(pid));
    }
    BenchContext.window(60_000); // the window being measured
    List<Double> followers = new ArrayList<>();
    for (var e : pids.entrySet()) {
      double percent = 100 * (BenchContext.cpuSeconds(e.getValue()) - before.get(e.getKey())) / 60;
      if (e.getKey().equals(leader)) {
        ctx.results.single(
            SECTION, "demo pod: CPU while idle, leader", percent, "% of a core", "60 s");
      } else {
        followers.add(percent);
      }
    }
    ctx.results.add(
        SECTION, "demo pod: CPU while idle, followers", followers, "% of a core", "60 s");
  }

  private double rss(String namespace, String pod) {
    return BenchContext.rssMiB(cluster.containerPids(namespace, pod).get(0));
  }

  private void failovers(
      String who,
      String namespace,
      String leaseName,
      boolean force,
      Timeline<LeaderDemo> statuses,
      Timeline<Lease> leases,
      java.util.function.Function<dev.leaderdemo.api.LeaderDemoStatus, String> field)
      throws Exception {
    List<Double> toLease = new ArrayList<>();
    List<Double> toStatus = new ArrayList<>();
    for (int i = 0; i < ctx.trials; i++) {
      String leader = awaitSteady(namespace, leaseName, leases, statuses, field);
      var leaseMoved =
          leases.when(
              leaseName,
              l ->
                  l.getSpec().getHolderIdentity() != null
                      && !l.getSpec().getHolderIdentity().isEmpty()
                      && !l.getSpec().getHolderIdentity().equals(leader));
      var statusMoved = statuses.when(NAME, BenchContext.namesOtherThan(field, leader));
      long t0 = System.nanoTime();
      if (force) {
        cluster
            .kubectl("delete", "pod", "-n", namespace, leader, "--grace-period=0", "--force")
            .assertSuccess();
      } else {
        cluster.kubectl("delete", "pod", "-n", namespace, leader, "--wait=false").assertSuccess();
      }
      toLease.add(seconds(t0, leaseMoved.get(120, TimeUnit.SECONDS)));
      toStatus.add(seconds(t0, statusMoved.get(120, TimeUnit.SECONDS)));
      System.out.printf(
          "[bench] pods: %s delete%s trial %d: %.2f s%n",
          who, force ? " --force" : "", i + 1, toStatus.get(i));
    }
    String how = force ? "kubectl delete pod --grace-period=0 --force" : "kubectl delete pod";
    ctx.results.add(
        SECTION,
        who + " leader: " + how + " to the new holder in the Lease",
        toLease,
        "s",
        force
            ? "the kubelet still sends SIGTERM first, so the pod releases, unless the API server"
                + " already refuses its token (its pod object is gone): then the lease expires"
            : "the pod releases on SIGTERM");
    ctx.results.add(
        SECTION, who + " leader: " + how + " to the new leader in the status", toStatus, "s", null);
  }

  /**
   * Every pod of the group ready again (the Deployment replaced the deleted one), and the status
   * names the holder.
   */
  private String awaitSteady(
      String namespace,
      String leaseName,
      Timeline<Lease> leases,
      Timeline<LeaderDemo> statuses,
      java.util.function.Function<dev.leaderdemo.api.LeaderDemoStatus, String> field) {
    boolean operator = SYSTEM_NS.equals(namespace);
    return BenchContext.awaitSteadyLeader(
        "a steady " + leaseName + " leader",
        Duration.ofMinutes(3),
        () -> leases.latest(leaseName),
        () -> statuses.latest(NAME),
        field,
        holder -> {
          List<Pod> live = operator ? operatorPods() : demoPods();
          long ready = live.stream().filter(Pods::isReady).count();
          return ready == (operator ? 2 : 3) && live.size() == (operator ? 2 : 3);
        });
  }

  private List<Pod> demoPods() {
    return Pods.live(ctx.client, NS, DemoLabels.INSTANCE, NAME);
  }

  private List<Pod> operatorPods() {
    return Pods.live(ctx.client, SYSTEM_NS, DemoLabels.NAME, DemoLabels.OPERATOR);
  }

  private static String sample() {
    return LocalCluster.sample().toString();
  }
}
