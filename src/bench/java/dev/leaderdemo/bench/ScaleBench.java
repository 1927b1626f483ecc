package dev.leaderdemo.bench;

import static dev.leaderdemo.bench.BenchContext.seconds;
import static dev.leaderdemo.testkit.BoundedWait.until;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.testkit.LocalProcesses;
import dev.leaderdemo.testkit.OperatorReplicas;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N LeaderDemos created at once: time until every one has its five objects and a status, and the
 * API writes the operator made for them; beside it the ceiling, the same objects written by a
 * parallel client with no operator.
 *
 * <p>The section runs in rounds and reports each figure over them: on a shared machine one burst is
 * one draw (the operator's time at 1000 moved by a sixth between runs of the same code). A round is
 * the ceiling at every size, then a fresh operator at every size, each ratio to the ceiling of its
 * own round. The ceiling's client is a fresh JVM each round too ({@link CeilingClient}), so that
 * both sides have reconciled or written the smaller sizes, and nothing more, before the largest.
 */
final class ScaleBench {

  private static final String SECTION = "Scale";
  private final BenchContext ctx;
  private final Map<Integer, Figures> figures = new LinkedHashMap<>();
  private OperatorReplicas operator;

  /** One size's measurements, a value per round. */
  private static final class Figures {
    final List<Double> ceiling = new ArrayList<>();
    final List<Double> elapsed = new ArrayList<>();
    final List<Double> throughput = new ArrayList<>();
    final List<Double> writes = new ArrayList<>();
    final List<Double> reconciles = new ArrayList<>();
    final List<Double> ratio = new ArrayList<>();

    // milliseconds of CPU per LeaderDemo by process, and "all", a value per round
    final Map<String, List<Double>> ceilingCpu = new LinkedHashMap<>();
    final Map<String, List<Double>> operatorCpu = new LinkedHashMap<>();
    final List<Double> cpuRatio = new ArrayList<>();
  }

  private static final String API_SERVER = "kube-apiserver";
  private static final String ETCD = "etcd";
  private static final String OPERATOR = "operator";
  private static final String WATCHES = "the bench's watches";

  /**
   * Adds one round's CPU per LeaderDemo, in ms, to {@code into}; returns the sum over the
   * processes.
   */
  private static double perLeaderDemo(
      Map<String, Double> spent, int n, Map<String, List<Double>> into) {
    double total = 0;
    for (Map.Entry<String, Double> e : spent.entrySet()) {
      double ms = 1000 * e.getValue() / n;
      into.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(ms);
      total += ms;
    }
    into.computeIfAbsent("all", k -> new ArrayList<>()).add(total);
    return total;
  }

  /** The cluster's processes and the bench's own, whose CPU both sides of a size pay. */
  private Map<String, Long> sharedProcesses() {
    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put(API_SERVER, ctx.cluster.componentPid(API_SERVER));
    pids.put(ETCD, ctx.cluster.componentPid(ETCD));
    pids.put(WATCHES, ProcessHandle.current().pid());
    return pids;
  }

  ScaleBench(BenchContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Runs every size in each of {@code rounds}; the last round's operator and the last size's
   * LeaderDemos stay for the footprint that follows.
   */
  OperatorReplicas run(List<Integer> sizes, int rounds) throws Exception {
    sizes.forEach(n -> figures.put(n, new Figures()));
    ctx.namespace("bench-scale");
    for (int round = 1; round <= rounds; round++) {
      boolean last = round == rounds;
      try (Writer writer = new Writer(round)) {
        for (int n : sizes) {
          ceiling(writer, n);
        }
        operator =
            new OperatorReplicas(
                    ctx.processes,
                    "bench-scale",
                    1,
                    BenchContext.operatorEnv("operator-scale"),
                    () -> {})
                .start();
        until(
            "the scale operator leading",
            Duration.ofSeconds(60),
            () -> operator.running().get(0).log().contains("starts reconciling"));
        for (int i = 0; i < sizes.size(); i++) {
          int n = sizes.get(i);
          String ns = "bench-scale-" + n;
          withOperator(writer, n, ns, round);
          if (!last || i < sizes.size() - 1) {
            deleteAll(ns);
          }
        }
      }
      if (!last) {
        // gone before the next round's ceiling, so that its shutdown takes no CPU from it
        List<LocalProcesses.LocalProcess> stopping = operator.running();
        operator.close();
        for (LocalProcesses.LocalProcess p : stopping) {
          if (!p.waitForExit(Duration.ofSeconds(30))) {
            throw new IllegalStateException(p + " still running 30 s after SIGTERM");
          }
        }
      }
    }
    report();
    return operator;
  }

  private void withOperator(Writer writer, int n, String ns, int round) throws Exception {
    ctx.namespace(ns);
    try (Observed seen = new Observed(ns)) {
      double writesBefore = ctx.requests(BenchContext::operatorWrite);
      double reconcilesBefore = reconciles();
      Map<String, Long> pids = sharedProcesses();
      pids.put(OPERATOR, operator.running().get(0).pid());
      pids.put("the LeaderDemos' writer", writer.pid());
      CpuWindow cpu = new CpuWindow(pids);
      long t0 = System.nanoTime();
      writer.write(ns, n, "demos");
      seen.awaitComplete(n);
      long t1 = System.nanoTime();
      Map<String, Double> spent = cpu.spent();
      BenchContext.window(5_000); // late writes still count against the operator
      double writes = ctx.requests(BenchContext::operatorWrite) - writesBefore;
      double reconciled = reconciles() - reconcilesBefore;
      double elapsed = seconds(t0, t1);
      Figures f = figures.get(n);
      f.elapsed.add(elapsed);
      f.throughput.add(n / elapsed);
      f.writes.add(writes / n);
      f.reconciles.add(reconciled / n);
      double ratio = elapsed / f.ceiling.get(f.ceiling.size() - 1);
      f.ratio.add(ratio);
      double cpuRatio = perLeaderDemo(spent, n, f.operatorCpu) / last(f.ceilingCpu.get("all"));
      f.cpuRatio.add(cpuRatio);
      System.out.printf(
          "[bench] scale round %d, %d: %.1f s, %.2f x the ceiling; CPU %.2f x, the operator's"
              + " %.1f ms per LeaderDemo%n",
          round, n, elapsed, ratio, cpuRatio, last(f.operatorCpu.get(OPERATOR)));
    }
  }

  private void report() {
    for (Map.Entry<Integer, Figures> size : figures.entrySet()) {
      int n = size.getKey();
      Figures f = size.getValue();
      ctx.results.add(
          SECTION,
          n + " LeaderDemos: ceiling, no operator",
          f.ceiling,
          "s",
          CeilingClient.THREADS
              + " client threads write the same objects directly, until the bench's watches see"
              + " them"
              + values(f.ceiling));
      ctx.results.add(
          SECTION,
          n + " LeaderDemos: all reconciled",
          f.elapsed,
          "s",
          "five objects and a status each, as the bench's watches see them" + values(f.elapsed));
      ctx.results.add(SECTION, n + " LeaderDemos: throughput", f.throughput, "LeaderDemos/s", null);
      ctx.results.add(
          SECTION,
          n + " LeaderDemos: API writes per LeaderDemo",
          f.writes,
          "writes",
          "the operator's POST/PUT/PATCH/APPLY of dependents, status and Events, from the API"
              + " server's metrics");
      ctx.results.add(
          SECTION,
          n + " LeaderDemos: reconciles per LeaderDemo",
          f.reconciles,
          "reconciles",
          "started, from the operator's /metrics");
      ctx.results.add(
          SECTION,
          n + " LeaderDemos: ratio to the ceiling",
          f.ratio,
          "x",
          "operator time / parallel-client time of the same round" + values(f.ratio));
      for (Map.Entry<String, Map<String, List<Double>>> run :
          List.of(
              Map.entry("ceiling", f.ceilingCpu), Map.entry("with the operator", f.operatorCpu))) {
        ctx.results.add(
            SECTION,
            n + " LeaderDemos: CPU per LeaderDemo, " + run.getKey(),
            run.getValue().get("all"),
            "ms",
            "all processes, from /proc, over the same window; " + split(run.getValue()));
      }
      ctx.results.add(
          SECTION,
          n + " LeaderDemos: CPU ratio to the ceiling",
          f.cpuRatio,
          "x",
          "CPU of the operator's run / the ceiling's of the same round" + values(f.cpuRatio));
    }
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }

  /** Each process's median share, in ms per LeaderDemo, as the note of a total. */
  private static String split(Map<String, List<Double>> cpu) {
    return cpu.entrySet().stream()
            .filter(e -> !e.getKey().equals("all"))
            .map(e -> e.getKey() + " " + BenchResults.format(Stats.median(e.getValue())))
            .collect(java.util.stream.Collectors.joining(", "))
        + " (medians)";
  }

  /** The values in the order of the rounds, since the median hides the spread. */
  private static String values(List<Double> values) {
    if (values.size() < 2) {
      return "";
    }
    return "; by round: "
        + values.stream()
            .map(BenchResults::format)
            .collect(java.util.stream.Collectors.joining(", "));
  }

  /**
   * The same seven writes per LeaderDemo (itself, five objects, its status) by the round's writer,
   * until the bench's watches see them.
   */
  private void ceiling(Writer writer, int n) throws Exception {
    String ns = "bench-ceiling-" + n;
    ctx.namespace(ns);
    double elapsed;
    Map<String, Double> spent;
    try (Observed seen = new Observed(ns)) {
      Map<String, Long> pids = sharedProcesses();
      pids.put("the client", writer.pid());
      CpuWindow cpu = new CpuWindow(pids);
      long t0 = System.nanoTime();
      writer.write(ns, n, "all");
      seen.awaitComplete(n);
      elapsed = seconds(t0, System.nanoTime());
      spent = cpu.spent();
    }
    figures.get(n).ceiling.add(elapsed);
    perLeaderDemo(spent, n, figures.get(n).ceilingCpu);
    System.out.printf("[bench] scale ceiling %d: %.1f s%n", n, elapsed);
    deleteAll(ns);
  }

  /**
   * The round's {@link CeilingClient}. It writes the ceiling's objects and the LeaderDemos of the
   * operator's runs, one client for both as the bench's own was before it had rounds.
   */
  private final class Writer implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final BufferedReader out;
    private final java.io.Writer in;

    Writer(int round) throws IOException {
      java.nio.file.Files.createDirectories(ctx.processes.logDir());
      log = ctx.processes.logDir().resolve("ceiling-client-" + round + ".log");
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  CeilingClient.class.getName(),
                  ctx.cluster.kubeconfig().toString())
              .redirectError(log.toFile())
              .start();
      out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      expect("ready");
    }

    long pid() {
      return process.pid();
    }

    void write(String ns, int n, String what) throws IOException {
      in.write(ns + " " + n + " " + what + "\n");
      in.flush();
      expect("done");
    }

    private void expect(String word) throws IOException {
      String line = out.readLine();
      if (!word.equals(line)) {
        throw new IllegalStateException(
            "the ceiling's client said " + line + " instead of " + word + "; see " + log);
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * No garbage collector runs in the benchmark's control plane: delete dependents too, and again
   * while any is left, since a reconcile under way when its LeaderDemo went may still apply one.
   */
  private void deleteAll(String ns) {
    ctx.client.resources(LeaderDemo.class).inNamespace(ns).delete();
    deleteDependents(ns);
    until(
        "an empty " + ns,
        Duration.ofMinutes(5),
        () -> {
          if (!ctx.client.resources(LeaderDemo.class).inNamespace(ns).list().getItems().isEmpty()) {
            return false;
          }
          if (ctx.client.apps().deployments().inNamespace(ns).list().getItems().isEmpty()) {
            return true;
          }
          deleteDependents(ns);
          return false;
        });
  }

  private void deleteDependents(String ns) {
    ctx.client.apps().deployments().inNamespace(ns).delete();
    ctx.client.services().inNamespace(ns).withLabel(DemoLabels.MANAGED_BY).delete();
    ctx.client.rbac().roleBindings().inNamespace(ns).delete();
    ctx.client.rbac().roles().inNamespace(ns).delete();
    ctx.client.serviceAccounts().inNamespace(ns).withLabel(DemoLabels.MANAGED_BY).delete();
  }

  /**
   * What somebody watching the namespace sees: the five kinds and the LeaderDemos. Open in the
   * ceiling's run as in the operator's, so that both pay for the same watches.
   */
  private final class Observed implements AutoCloseable {
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private final SharedIndexInformer<ServiceAccount> sas;
    private final SharedIndexInformer<Role> roles;
    private final SharedIndexInformer<RoleBinding> bindings;
    private final SharedIndexInformer<Deployment> deployments;
    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<LeaderDemo> demos;

    Observed(String ns) {
      sas = inform(ServiceAccount.class, ns);
      roles = inform(Role.class, ns);
      bindings = inform(RoleBinding.class, ns);
      deployments = inform(Deployment.class, ns);
      services = inform(Service.class, ns);
      demos = inform(LeaderDemo.class, ns);
    }

    void awaitComplete(int n) {
      until(
          n + " LeaderDemos with five objects and a status",
          Duration.ofMinutes(15),
          () ->
              managed(sas) >= n
                  && managed(roles) >= n
                  && managed(bindings) >= n
                  && managed(deployments) >= n
                  && managed(services) >= n
                  && demos.getStore().list().stream().filter(d -> d.getStatus() != null).count()
                      >= n);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> inform(Class<T> type, String ns) {
      SharedIndexInformer<T> informer = ctx.client.resources(type).inNamespace(ns).inform();
      informers.add(informer);
      return informer;
    }

    @Override
    public void close() {
      informers.forEach(SharedIndexInformer::close);
    }
  }

  /** JOSDK's count of reconciles started, summed over its label sets. */
  private double reconciles() {
    return operator
        .running()
        .get(0)
        .http("/metrics")
        .body()
        .lines()
        .filter(line -> line.startsWith("operator_sdk_reconciliations_started_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static long managed(SharedIndexInformer<? extends HasMetadata> informer) {
    return informer.getStore().list().stream()
        .filter(
            o ->
                o.getMetadata().getLabels() != null
                    && DemoLabels.OPERATOR.equals(
                        o.getMetadata().getLabels().get(DemoLabels.MANAGED_BY)))
        .count();
  }
}
