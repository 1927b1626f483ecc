package dev.leaderdemo.localdemo;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.localdemo.DemoScreen.Row;
import dev.leaderdemo.localdemo.DemoScreen.Snapshot;
import dev.leaderdemo.testkit.LocalCluster;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * `make demo` and `make demo-smoke`: the leader-election demo as pods on a real local cluster
 * (hack/cluster.sh). The project's image goes onto the node, `make deploy` runs two operator pods,
 * and samples/leaderdemo.yaml three demo pods. The cluster is taken down when the demo ends,
 * however it ends.
 *
 * <p>{@code --existing-cluster} uses the cluster that is up instead of starting one, and removes
 * only what the demo applied (the ITs run the smoke path so).
 */
public final class LocalDemo {

  static final String NAMESPACE = "default";
  static final String NAME = "leader-election-demo";
  static final String OPERATOR_NAMESPACE = "leaderdemo-system";
  private static final String OPERATOR_SELECTOR = "app.kubernetes.io/name=leaderdemo-operator";
  private static final String DEMO_SELECTOR = "app.kubernetes.io/instance=" + NAME;
  private static final int CTRL_C = 3;

  private final Path workDir;
  private final boolean existingCluster;
  private LocalCluster cluster;
  private KubernetesClient client;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  /**
   * A crashed leader's renewal changes neither its pod nor the status: nothing but a look tells it
   * kept the lease.
   */
  private final java.util.concurrent.ScheduledExecutorService crashWatch =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "crash-watch");
            t.setDaemon(true);
            return t;
          });

  private volatile LeaderDemo current;
  private volatile Failover pending;
  private volatile String lastFailover;
  private volatile Runnable redraw = () -> {};
  private boolean stopped;

  /**
   * A failover under way: what was done, to whom, which status field names the successor, and for a
   * crash the pod's restarts before it (-1 otherwise): a crashed leader that the kubelet restarts
   * in time keeps its lease.
   */
  private record Failover(
      String what,
      String from,
      long startNanos,
      Function<LeaderDemoStatus, String> field,
      int restartsBefore,
      CompletableFuture<String> done) {}

  private LocalDemo(boolean existingCluster) {
    this.existingCluster = existingCluster;
    this.workDir = LocalCluster.projectDir().resolve("target/demo");
  }

  public static void main(String[] args) {
    List<String> options = List.of(args);
    boolean smoke = options.contains("--smoke");
    int code = 1;
    LocalDemo demo = new LocalDemo(options.contains("--existing-cluster"));
    Runtime.getRuntime().addShutdownHook(new Thread(demo::stop, "demo-stop"));
    try {
      if (!smoke && System.console() == null) {
        throw new IllegalStateException(
            "make demo needs a terminal for its live view; run make demo-smoke instead");
      }
      demo.start();
      code = smoke ? demo.smoke() : demo.interactive();
    } catch (Exception | AssertionError e) {
      System.err.println("demo failed: " + e.getMessage());
    } finally {
      demo.stop();
    }
    System.exit(code);
  }

  private void start() throws IOException {
    Files.createDirectories(workDir);
    if (existingCluster) {
      cluster = LocalCluster.existing(workDir);
    } else {
      say(
          "Starting a local cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler,"
              + " and a node (containerd, kubelet, kube-proxy) ...");
      cluster = LocalCluster.start(workDir);
    }
    client = cluster.client();
    say(
        "Building the image "
            + LocalCluster.IMAGE
            + " from the Dockerfile and loading it onto the node ...");
    cluster.loadProjectImage();
    say(
        "make deploy IMG="
            + LocalCluster.IMAGE
            + " (the CRD, RBAC, two operator pods in "
            + OPERATOR_NAMESPACE
            + ") ...");
    cluster.make("deploy", "IMG=" + LocalCluster.IMAGE);
    informers.add(
        client
            .resources(LeaderDemo.class)
            .inNamespace(NAMESPACE)
            .withName(NAME)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(LeaderDemo demo) {
                    observed(demo);
                  }

                  @Override
                  public void onUpdate(LeaderDemo old, LeaderDemo demo) {
                    observed(demo);
                  }

                  @Override
                  public void onDelete(LeaderDemo demo, boolean unknown) {
                    current = null;
                    changed();
                  }
                }));
    informers.add(
        client
            .pods()
            .inNamespace(OPERATOR_NAMESPACE)
            .withLabelSelector(OPERATOR_SELECTOR)
            .inform(podsChanged()));
    informers.add(
        client
            .pods()
            .inNamespace(NAMESPACE)
            .withLabelSelector(DEMO_SELECTOR)
            .inform(podsChanged()));
    say("kubectl apply -f samples/leaderdemo.yaml ...");
    cluster
        .kubectl("apply", "-n", NAMESPACE, "-f", LocalCluster.sample().toString())
        .assertSuccess();
    say(
        "Up. From another terminal:\n  export KUBECONFIG="
            + cluster.kubeconfig()
            + "\n  kubectl get pods -w\n  kubectl logs -f deployment/"
            + NAME
            + "\n  kubectl get leaderdemo -w");
  }

  private ResourceEventHandler<Pod> podsChanged() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        changed();
      }

      @Override
      public void onUpdate(Pod old, Pod pod) {
        restartedInPlace(pod);
        changed();
      }

      @Override
      public void onDelete(Pod pod, boolean unknown) {
        changed();
      }
    };
  }

  private void observed(LeaderDemo demo) {
    current = demo;
    Failover f = pending;
    if (f != null && demo.getStatus() != null) {
      String next = f.field().apply(demo.getStatus());
      if (next != null && !next.equals(f.from())) {
        double seconds = (System.nanoTime() - f.startNanos()) / 1e9;
        lastFailover =
            String.format(
                Locale.ROOT,
                "%s: %s -> %s, new leader in the status after %.2f s",
                f.what(),
                f.from(),
                next,
                seconds);
        pending = null;
        f.done().complete(lastFailover);
      }
    }
    changed();
  }

  private void restartedInPlace(Pod pod) {
    Failover f = pending;
    LeaderDemoStatus status = currentStatus().orElse(null);
    if (f == null
        || f.restartsBefore() < 0
        || !pod.getMetadata().getName().equals(f.from())
        || status == null
        || !f.from().equals(f.field().apply(status))
        || !ready(pod)
        || restarts(pod) <= f.restartsBefore()
        || !renewedSinceItStarted(pod)) {
      return;
    }
    double seconds = (System.nanoTime() - f.startNanos()) / 1e9;
    lastFailover =
        String.format(
            Locale.ROOT,
            "%s: %s restarted in place after %.2f s and renewed its own lease: " + "no failover",
            f.what(),
            f.from(),
            seconds);
    pending = null;
    f.done().complete(lastFailover);
  }

  /**
   * Whether the pod's new container itself renewed the Lease it holds, rather than the lease not
   * having expired.
   */
  private boolean renewedSinceItStarted(Pod pod) {
    boolean operator = OPERATOR_NAMESPACE.equals(pod.getMetadata().getNamespace());
    var lease =
        client
            .leases()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(operator ? "leaderdemo-operator" : NAME)
            .get();
    var running = pod.getStatus().getContainerStatuses().get(0).getState().getRunning();
    return lease != null
        && running != null
        && pod.getMetadata().getName().equals(lease.getSpec().getHolderIdentity())
        && lease
            .getSpec()
            .getRenewTime()
            .toInstant()
            .isAfter(java.time.Instant.parse(running.getStartedAt()));
  }

  private void changed() {
    redraw.run();
  }

  /**
   * Prints what a user would check: the pods, both leaders, each failover with the old and new
   * leader and the measured time, and the pods left after scaling down (DemoSmokeIT holds these
   * against the cluster).
   */
  private int smoke() throws Exception {
    waitFor(
        "3 ready demo pods, 2 ready operator pods and both leaders in the status",
        Duration.ofSeconds(240),
        () -> {
          LeaderDemoStatus s = currentStatus().orElse(null);
          return s != null
              && s.getLeader() != null
              && s.getOperatorLeader() != null
              && Integer.valueOf(3).equals(s.getReadyReplicas())
              && pods(NAMESPACE, DEMO_SELECTOR).size() == 3
              && readyPods(OPERATOR_NAMESPACE) == 2
              && pods(OPERATOR_NAMESPACE, OPERATOR_SELECTOR).size() == 2;
        });
    LeaderDemoStatus status = currentStatus().orElseThrow();
    say(
        "Demo pods: "
            + podNames(NAMESPACE, DEMO_SELECTOR)
            + "; operator pods: "
            + podNames(OPERATOR_NAMESPACE, OPERATOR_SELECTOR));
    say("Demo leader " + status.getLeader() + ", operator leader " + status.getOperatorLeader());
    String demoFailover = failover(deleteDemoLeader(false), Duration.ofSeconds(90));
    say(demoFailover);
    String operatorFailover = failover(deleteOperatorLeader(false), Duration.ofSeconds(90));
    say(operatorFailover);
    scale(-1);
    // the operator has carried the new spec to the Deployment, and 2 pods are left, both ready
    waitFor(
        "2 ready demo pods after scaling to 2",
        Duration.ofSeconds(90),
        () -> {
          LeaderDemo demo = current;
          LeaderDemoStatus s = demo == null ? null : demo.getStatus();
          return s != null
              && demo.getSpec().getReplicas() == 2
              && demo.getMetadata().getGeneration().equals(s.getObservedGeneration())
              && Integer.valueOf(2).equals(s.getReadyReplicas())
              && pods(NAMESPACE, DEMO_SELECTOR).size() == 2;
        });
    String scaled =
        "scaled the LeaderDemo from 3 to 2 replicas: 2 demo pods ("
            + podNames(NAMESPACE, DEMO_SELECTOR)
            + ")";
    say(scaled);
    System.out.println(
        "\ndemo-smoke summary\n  "
            + demoFailover
            + "\n  "
            + operatorFailover
            + "\n  "
            + scaled
            + "\n1 passed, 0 failed");
    return 0;
  }

  private String podNames(String namespace, String selector) {
    return String.join(
        ", ",
        pods(namespace, selector).stream().map(p -> p.getMetadata().getName()).sorted().toList());
  }

  private void waitFor(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new TimeoutException(
        "no "
            + what
            + " after "
            + timeout.toSeconds()
            + " s; cluster logs in "
            + LocalCluster.logDir());
  }

  private String failover(Failover f, Duration timeout) throws Exception {
    try {
      return f.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "no new leader "
              + timeout.toSeconds()
              + " s after "
              + f.what()
              + " "
              + f.from()
              + "; cluster logs in "
              + LocalCluster.logDir());
    }
  }

  private Failover deleteDemoLeader(boolean force) {
    return delete("demo leader", NAMESPACE, LeaderDemoStatus::getLeader, force);
  }

  private Failover deleteOperatorLeader(boolean force) {
    return delete(
        "operator leader", OPERATOR_NAMESPACE, LeaderDemoStatus::getOperatorLeader, force);
  }

  /**
   * `kubectl delete pod`, with or without --grace-period=0 --force (both make the kubelet send
   * SIGTERM).
   */
  private Failover delete(
      String role, String namespace, Function<LeaderDemoStatus, String> field, boolean force) {
    String leader = leader(role, field);
    Failover f = begin((force ? "delete --force of " : "delete of ") + role, leader, field, -1);
    if (force) {
      cluster
          .kubectl(
              "delete",
              "pod",
              leader,
              "-n",
              namespace,
              "--grace-period=0",
              "--force",
              "--wait=false")
          .assertSuccess();
    } else {
      cluster.kubectl("delete", "pod", leader, "-n", namespace, "--wait=false").assertSuccess();
    }
    return f;
  }

  /**
   * SIGKILL from the node: nobody releases, and the kubelet restarts the container in the same pod.
   */
  private Failover crash(String role, String namespace, Function<LeaderDemoStatus, String> field) {
    String leader = leader(role, field);
    Pod pod = client.pods().inNamespace(namespace).withName(leader).get();
    Failover f =
        begin("crash (SIGKILL) of " + role, leader, field, pod == null ? 0 : restarts(pod));
    cluster.signal("KILL", namespace, leader);
    var look =
        crashWatch.scheduleWithFixedDelay(
            () -> {
              if (pending != f) {
                throw new java.util.concurrent.CancellationException(
                    "another action replaced it"); // ends the schedule
              }
              Pod now = client.pods().inNamespace(namespace).withName(leader).get();
              if (now != null) {
                restartedInPlace(now);
              }
            },
            1,
            1,
            TimeUnit.SECONDS);
    f.done().whenComplete((result, error) -> look.cancel(false));
    return f;
  }

  private String leader(String role, Function<LeaderDemoStatus, String> field) {
    return currentStatus()
        .map(field)
        .orElseThrow(() -> new IllegalStateException("no " + role + " yet"));
  }

  private Failover begin(
      String what, String from, Function<LeaderDemoStatus, String> field, int restartsBefore) {
    Failover f =
        new Failover(
            what, from, System.nanoTime(), field, restartsBefore, new CompletableFuture<>());
    pending = f;
    changed();
    return f;
  }

  private Optional<LeaderDemoStatus> currentStatus() {
    return Optional.ofNullable(current).map(LeaderDemo::getStatus);
  }

  private int interactive() throws Exception {
    String saved = stty("-g").trim();
    // -isig: Ctrl-C arrives as a key, so that the demo ends in order and then takes the cluster
    // down
    stty("-icanon", "-echo", "-isig", "min", "1");
    try {
      Snapshot[] last = {null};
      redraw =
          () -> {
            Snapshot now = snapshot();
            synchronized (last) {
              if (!now.equals(last[0])) {
                last[0] = now;
                System.out.print("\033[H\033[2J" + DemoScreen.render(now));
                System.out.flush();
              }
            }
          };
      redraw.run();
      while (true) {
        int key = System.in.read();
        try {
          switch (key) {
            case -1, 'q', CTRL_C -> {
              return 0;
            }
            case 't' -> deleteDemoLeader(false);
            case 'k' -> deleteDemoLeader(true);
            case 'c' -> crash("demo leader", NAMESPACE, LeaderDemoStatus::getLeader);
            case 'o' -> deleteOperatorLeader(false);
            case 'O' -> deleteOperatorLeader(true);
            case 'C' ->
                crash("operator leader", OPERATOR_NAMESPACE, LeaderDemoStatus::getOperatorLeader);
            case '+' -> scale(1);
            case '-' -> scale(-1);
            default -> {}
          }
        } catch (RuntimeException | AssertionError e) {
          // a pod that was gone already, say: the demo goes on
          pending = null;
          lastFailover = "not done: " + e.getMessage();
          redraw.run();
        }
      }
    } finally {
      redraw = () -> {};
      stty(saved);
    }
  }

  private void scale(int delta) {
    int replicas = Math.max(1, Math.min(50, current.getSpec().getReplicas() + delta));
    cluster
        .kubectl(
            "patch",
            "leaderdemo",
            NAME,
            "-n",
            NAMESPACE,
            "--type=merge",
            "-p",
            "{\"spec\":{\"replicas\":" + replicas + "}}")
        .assertSuccess();
  }

  private List<Pod> pods(String namespace, String selector) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabelSelector(selector)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private long readyPods(String namespace) {
    return pods(namespace, OPERATOR_SELECTOR).stream().filter(LocalDemo::ready).count();
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private Snapshot snapshot() {
    LeaderDemo demo = current;
    LeaderDemoStatus status = demo == null ? null : demo.getStatus();
    List<Row> rows = new ArrayList<>();
    String operatorLeader = status == null ? null : status.getOperatorLeader();
    String demoLeader = status == null ? null : status.getLeader();
    for (SharedIndexInformer<?> informer : informers) {
      informer.getStore().list().stream()
          .filter(Pod.class::isInstance)
          .map(Pod.class::cast)
          .sorted(
              Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                  .reversed()
                  .thenComparing(p -> p.getMetadata().getName()))
          .forEach(p -> rows.add(row(p, operatorLeader, demoLeader)));
    }
    Failover f = pending;
    return new Snapshot(
        NAMESPACE,
        NAME,
        status,
        demo == null ? null : demo.getSpec().getReplicas(),
        rows,
        lastFailover,
        f == null ? null : f.what() + " " + f.from() + ": waiting for the new leader ...",
        cluster.kubeconfig().toString());
  }

  private static Row row(Pod pod, String operatorLeader, String demoLeader) {
    String name = pod.getMetadata().getName();
    boolean operator = OPERATOR_NAMESPACE.equals(pod.getMetadata().getNamespace());
    String role =
        operator
            ? (name.equals(operatorLeader) ? "operator leader" : "operator standby")
            : (name.equals(demoLeader) ? "demo leader" : "demo");
    List<ContainerStatus> containers =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getContainerStatuses();
    long ready = containers.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
    String phase =
        pod.getMetadata().getDeletionTimestamp() != null
            ? "Terminating"
            : pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    return new Row(
        role, name, ready + "/" + pod.getSpec().getContainers().size(), phase, restarts(pod));
  }

  private static int restarts(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
        ? 0
        : pod.getStatus().getContainerStatuses().stream()
            .mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount())
            .sum();
  }

  private static String stty(String... args) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("sh", "-c", "stty " + String.join(" ", args) + " < /dev/tty")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static void say(String message) {
    System.out.println("[demo] " + message);
  }

  /**
   * Takes down what this demo started (the whole cluster, or on an existing one what it applied).
   * Idempotent.
   */
  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    redraw = () -> {};
    crashWatch.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
    if (cluster == null) {
      return;
    }
    if (existingCluster) {
      say("Removing the sample and the operator from the cluster ...");
      cluster.kubectl(
          "delete",
          "--ignore-not-found",
          "--wait=true",
          "-n",
          NAMESPACE,
          "-f",
          LocalCluster.sample().toString());
      try {
        cluster.undeploy();
      } catch (RuntimeException | AssertionError e) {
        // the demo pods are still to be waited for
        say("make undeploy did not finish: " + e.getMessage());
      }
      cluster.kubectl(
          "wait", "--for=delete", "pod", "-l", DEMO_SELECTOR, "-n", NAMESPACE, "--timeout=120s");
    } else {
      say("Taking the local cluster down ...");
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
    say("Stopped; cluster logs in " + LocalCluster.logDir());
  }
}
