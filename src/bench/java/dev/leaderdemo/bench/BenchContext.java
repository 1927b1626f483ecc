package dev.leaderdemo.bench;

import static dev.leaderdemo.testkit.BoundedWait.until;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.ApiServerRequests;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every benchmark section uses: the cluster, processes, results, and ways to read a process's
 * cost.
 */
final class BenchContext {

  static final String LEASE = "15s";
  static final String RENEW = "10s";
  static final String RETRY = "2s";

  /**
   * The JVM as in the operator's pod: a 512Mi limit (which MaxRAM stands in for) and the options
   * the image's JAVA_TOOL_OPTIONS sets, read from the Dockerfile so that the two cannot drift.
   */
  static final java.util.List<String> OPERATOR_JVM = operatorJvm();

  private static java.util.List<String> operatorJvm() {
    Path dockerfile = LocalCluster.projectDir().resolve("Dockerfile");
    try {
      Matcher env =
          Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"")
              .matcher(Files.readString(dockerfile));
      if (!env.find()) {
        throw new IllegalStateException("no ENV JAVA_TOOL_OPTIONS in " + dockerfile);
      }
      java.util.List<String> options = new java.util.ArrayList<>();
      options.add("-XX:MaxRAM=512m");
      options.addAll(java.util.List.of(env.group(1).trim().split("\\s+")));
      return java.util.List.copyOf(options);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  final LocalCluster cluster;
  final KubernetesClient client;
  final LocalProcesses processes;
  final BenchResults results;
  final int trials;

  BenchContext(
      LocalCluster cluster,
      KubernetesClient client,
      LocalProcesses processes,
      BenchResults results,
      int trials) {
    this.cluster = cluster;
    this.client = client;
    this.processes = processes;
    this.results = results;
    this.trials = trials;
  }

  /**
   * The rest of the image's environment (the Dockerfile's other ENV lines, as NAME=value), which
   * the operator's process gets as its pod would.
   */
  static final Map<String, String> IMAGE_ENV = imageEnv();

  private static Map<String, String> imageEnv() {
    Path dockerfile = LocalCluster.projectDir().resolve("Dockerfile");
    try {
      Map<String, String> env = new java.util.TreeMap<>();
      Matcher line =
          Pattern.compile("(?m)^ENV ([A-Z_][A-Z0-9_]*)=(\\S+)$")
              .matcher(Files.readString(dockerfile));
      while (line.find()) {
        if (!line.group(1).equals("JAVA_TOOL_OPTIONS")) {
          env.put(line.group(1), line.group(2));
        }
      }
      return Map.copyOf(env);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code env} over the image's environment, for a demo process as a demo pod would have it. */
  static Map<String, String> withImageEnv(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(IMAGE_ENV);
    all.putAll(env);
    return all;
  }

  static Map<String, String> operatorEnv(String leaseName) {
    Map<String, String> env = new HashMap<>(IMAGE_ENV);
    env.put(OperatorConfig.ENV_LEASE_NAME, leaseName);
    env.put(OperatorConfig.ENV_LEASE_DURATION, LEASE);
    env.put(OperatorConfig.ENV_RENEW_DEADLINE, RENEW);
    env.put(OperatorConfig.ENV_RETRY_PERIOD, RETRY);
    env.put(OperatorConfig.ENV_DEMO_IMAGE, "leaderdemo-operator:bench");
    return env;
  }

  void namespace(String name) {
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  LeaderDemo leaderDemo(String namespace, String name, int replicas) {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    LeaderDemoSpec spec = new LeaderDemoSpec();
    spec.setReplicas(replicas);
    demo.setSpec(spec);
    return client.resource(demo).create();
  }

  /**
   * Waits until a Lease's holder is also the leader that {@code field} of the LeaderDemo's status
   * names, and {@code andAlso} holds of that holder (the pods that have seen it, say): a steady
   * state to start a trial from. Returns the holder.
   */
  static String awaitSteadyLeader(
      String what,
      Duration timeout,
      Supplier<Lease> lease,
      Supplier<LeaderDemo> demo,
      Function<LeaderDemoStatus, String> field,
      Predicate<String> andAlso) {
    String[] leader = new String[1];
    until(
        what,
        timeout,
        () -> {
          Lease l = lease.get();
          LeaderDemo d = demo.get();
          if (l == null || d == null || d.getStatus() == null) {
            return false;
          }
          leader[0] = l.getSpec().getHolderIdentity();
          return leader[0] != null
              && Objects.equals(leader[0], field.apply(d.getStatus()))
              && andAlso.test(leader[0]);
        });
    return leader[0];
  }

  /** A LeaderDemo whose status names, in {@code field}, a leader other than {@code leader}. */
  static Predicate<LeaderDemo> namesOtherThan(
      Function<LeaderDemoStatus, String> field, String leader) {
    return d ->
        d.getStatus() != null
            && field.apply(d.getStatus()) != null
            && !field.apply(d.getStatus()).equals(leader);
  }

  /**
   * A measurement window (or a warm-up before one): the time itself is what is measured, not a wait
   * for a condition.
   */
  static void window(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  /** The API server's own count of requests whose labels match, from its /metrics. */
  double requests(Predicate<Map<String, String>> labels) {
    return ApiServerRequests.total(client, labels);
  }

  /** Writes the operator makes for LeaderDemos: its dependents, LeaderDemo status, and Events. */
  static boolean operatorWrite(Map<String, String> l) {
    String verb = l.get("verb");
    if (!java.util.Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE").contains(verb)) {
      return false;
    }
    String resource = l.get("resource");
    String sub = l.getOrDefault("subresource", "");
    return (sub.isEmpty()
            && java.util.Set.of(
                    "serviceaccounts", "roles", "rolebindings", "deployments", "services", "events")
                .contains(resource))
        || ("leaderdemos".equals(resource) && "status".equals(sub));
  }

  static boolean statusWrite(Map<String, String> l) {
    return "leaderdemos".equals(l.get("resource"))
        && "status".equals(l.get("subresource"))
        && java.util.Set.of("PATCH", "APPLY", "PUT").contains(l.get("verb"));
  }

  /** Resident set size in MiB, from /proc. */
  static double rssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
      throw new IllegalStateException("no VmRSS for " + pid);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Java heap in use after a full collection, in MiB, as jcmd reports it. */
  static double heapAfterGcMiB(long pid) {
    jcmd(pid, "GC.run");
    double kib = 0;
    Matcher m =
        Pattern.compile("(?m)^.*(generation|space).*used (\\d+)K.*$")
            .matcher(jcmd(pid, "GC.heap_info"));
    while (m.find()) {
      if (!m.group().contains("Metaspace") && !m.group().contains("class space")) {
        kib += Double.parseDouble(m.group(2));
      }
    }
    return kib / 1024;
  }

  private static String jcmd(long pid, String command) {
    try {
      Process p =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(pid),
                  command)
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * CPU time (user + system) the process has used, in seconds; /proc counts in clock ticks of 1/100
   * s.
   */
  static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
