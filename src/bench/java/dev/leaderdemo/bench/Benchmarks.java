package dev.leaderdemo.bench;

import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses;
import dev.leaderdemo.testkit.OperatorReplicas;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `make bench` (BENCH_ARGS="--trials N --sizes 100,500,1000 --rounds 3 --only
 * footprint,operator,demo,election,scale,pods"): failover, status latency, scale and footprint with
 * the operator and demo app as local processes on the local cluster without kube-controller-manager
 * (whose own work would blur the figures); then the cluster again, whole, for the same as pods.
 * Prints a Markdown table and writes target/bench/results.json. It reports figures and never fails
 * on a time; it fails only if it cannot measure.
 */
public final class Benchmarks {

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    if (List.of(args).contains("--help")) {
      System.out.println(
          "make bench BENCH_ARGS=\"[--trials N] [--sizes 100,500,1000] [--rounds 3]"
              + " [--only footprint,operator,demo,election,scale,pods]\"\n"
              + "  failover, status latency, scale and footprint on the local cluster;"
              + " writes target/bench/results.json and results.md");
      return;
    }
    int trials = Integer.parseInt(option(args, "--trials", "10"));
    List<Integer> sizes =
        Arrays.stream(option(args, "--sizes", "100,500,1000").split(","))
            .map(Integer::parseInt)
            .toList();
    int rounds = Integer.parseInt(option(args, "--rounds", "3"));
    List<String> only =
        List.of(option(args, "--only", "footprint,operator,demo,election,scale,pods").split(","));
    Path out = LocalCluster.projectDir().resolve("target/bench").toAbsolutePath();
    Files.createDirectories(out);
    Path workDir = Files.createTempDirectory("leaderdemo-bench-");
    // Ctrl-C skips the finally blocks below: leave no process or temporary file behind all the same
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
                  try {
                    deleteRecursively(workDir);
                  } catch (IOException e) {
                    System.err.println("could not remove " + workDir + ": " + e.getMessage());
                  }
                },
                "bench-cleanup"));
    BenchResults results = new BenchResults();
    int code = 0;
    Instant started = Instant.now();
    try {
      if (only.stream()
          .anyMatch(List.of("footprint", "operator", "demo", "election", "scale")::contains)) {
        try (LocalCluster cluster =
                LocalCluster.start(workDir, List.of("kube-controller-manager"));
            KubernetesClient client = cluster.client();
            LocalProcesses processes =
                new LocalProcesses(
                    cluster.kubeconfig(), out.resolve("logs"), BenchContext.OPERATOR_JVM)) {
          cluster.installCrd();
          BenchContext ctx = new BenchContext(cluster, client, processes, results, trials);
          FootprintBench footprint = new FootprintBench(ctx);
          if (only.contains("footprint")) {
            System.out.println(
                "[bench] footprint with no LeaderDemos, and start to first reconcile");
            footprint.withNoLeaderDemos();
            footprint.startToFirstReconcile();
          }
          if (only.contains("operator")) {
            System.out.println("[bench] operator failover");
            new OperatorFailoverBench(ctx).run();
          }
          if (only.contains("demo")) {
            System.out.println("[bench] demo failover");
            new DemoFailoverBench(ctx).run();
          }
          if (only.contains("election")) {
            System.out.println("[bench] election: this project's elector beside client-go's");
            new ElectionBench(ctx).run();
          }
          if (only.contains("scale")) {
            System.out.println("[bench] scale " + sizes + ", " + rounds + " rounds");
            try (OperatorReplicas operator = new ScaleBench(ctx).run(sizes, rounds)) {
              int n = sizes.get(sizes.size() - 1);
              System.out.println("[bench] footprint with " + n + " LeaderDemos");
              footprint.withLeaderDemos(operator, "bench-scale-" + n, n);
            }
          }
        }
      }
      if (only.contains("pods")) {
        System.out.println(
            "[bench] pods: the whole cluster, kube-controller-manager included, and make deploy");
        try (LocalCluster cluster = LocalCluster.start(workDir);
            KubernetesClient client = cluster.client()) {
          new PodBench(new BenchContext(cluster, client, null, results, trials)).run();
        }
      }
    } catch (Exception e) {
      System.err.println("bench failed: " + e);
      code = 1;
    } finally {
      deleteRecursively(workDir);
    }
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("started", started.toString());
    about.put("command", "make bench");
    about.put("trials", trials);
    about.put("scale rounds", rounds);
    about.put("sections", only);
    about.put("machine", machine());
    about.put("java", System.getProperty("java.version"));
    about.put("kubernetes", LocalCluster.kubernetesVersion());
    about.put("complete", code == 0);
    Files.writeString(out.resolve("results.json"), results.json(about));
    Files.writeString(out.resolve("results.md"), results.markdown());
    System.out.println();
    System.out.println(machine());
    System.out.println(results.markdown());
    System.out.println(
        "written: " + out.resolve("results.json") + ", " + out.resolve("results.md"));
    System.exit(code);
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  static String machine() {
    try {
      String cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse("unknown CPU");
      String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("[^0-9]", "");
      return Runtime.getRuntime().availableProcessors()
          + " cores ("
          + cpu
          + "), "
          + Math.round(Long.parseLong(mem) / 1024.0 / 1024.0)
          + " GiB";
    } catch (IOException e) {
      return "unknown machine";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
