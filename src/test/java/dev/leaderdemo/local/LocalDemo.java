package dev.leaderdemo.local;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.local.DemoScreen.Row;
import dev.leaderdemo.local.DemoScreen.Snapshot;
import dev.leaderdemo.local.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * `make demo` and `make demo-smoke`: the whole leader-election demo on this machine, with no cluster. A real
 * control plane (etcd, kube-apiserver, kube-controller-manager), the CRD, two operator replicas and the sample's
 * demo pods as local processes. Everything it starts stops when it ends, however it ends.
 */
public final class LocalDemo {

  private static final String NAMESPACE = "default";
  private static final String NAME = "leader-election-demo";
  private static final String OPERATOR_NAMESPACE = "leaderdemo-system";
  private static final int CTRL_C = 3;

  private final Path workDir;
  private final Path logDir;
  private ControlPlane cluster;
  private KubernetesClient client;
  private LocalProcesses processes;
  private OperatorReplicas operators;
  private LocalKubelet kubelet;
  private SharedIndexInformer<LeaderDemo> informer;
  private volatile LeaderDemo current;
  private volatile Failover pending;
  private volatile String lastFailover;
  private volatile Runnable redraw = () -> { };
  private boolean stopped;

  /** A failover under way: what was done, to whom, and which status field names the successor. */
  private record Failover(String what, String from, long startNanos, Function<LeaderDemoStatus, String> field,
      CompletableFuture<String> done) {}

  private LocalDemo() throws IOException {
    this.workDir = Files.createTempDirectory("leaderdemo-demo-");
    this.logDir = ControlPlane.projectDir().resolve("target/demo/logs").toAbsolutePath();
  }

  public static void main(String[] args) {
    boolean smoke = List.of(args).contains("--smoke");
    int code = 1;
    LocalDemo demo = null;
    try {
      demo = new LocalDemo();
      LocalDemo started = demo;
      Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "demo-stop"));
      if (!smoke && System.console() == null) {
        throw new IllegalStateException("make demo needs a terminal for its live view; run make demo-smoke instead");
      }
      demo.start();
      code = smoke ? demo.smoke() : demo.interactive();
    } catch (Exception e) {
      System.err.println("demo failed: " + e.getMessage());
    } finally {
      if (demo != null) {
        demo.stop();
      }
    }
    System.exit(code);
  }

  private void start() throws IOException {
    say("Starting etcd, kube-apiserver and kube-controller-manager ...");
    cluster = ControlPlane.start(workDir);
    client = cluster.client();
    processes = new LocalProcesses(cluster.kubeconfig(), logDir);
    cluster.kubectl("apply", "--server-side", "-f",
        ControlPlane.projectDir().resolve("crds/leaderdemos.leaderdemo.dev-v1.yml").toString()).assertSuccess();
    cluster.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/leaderdemos.leaderdemo.dev")
        .assertSuccess();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NAMESPACE)
        .endMetadata().build()).serverSideApply();
    say("Starting two operator replicas ...");
    operators = new OperatorReplicas(processes, OPERATOR_NAMESPACE, 2,
        Map.of("DEMO_IMAGE", "leaderdemo-operator:local"), this::changed).start();
    informer = client.resources(LeaderDemo.class).inNamespace(NAMESPACE).withName(NAME)
        .inform(new ResourceEventHandler<>() {
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
        });
    say("Applying samples/leaderdemo.yaml ...");
    cluster.kubectl("apply", "-n", NAMESPACE, "-f",
        ControlPlane.projectDir().resolve("samples/leaderdemo.yaml").toString()).assertSuccess();
    kubelet = new LocalKubelet(client, processes, NAMESPACE, NAME, this::changed).start();
    say("Control plane up. From another terminal:\n  export KUBECONFIG=" + cluster.kubeconfig()
        + "\n  kubectl get leaderdemo -w\n  kubectl get lease " + NAME + " -o yaml\nLogs: " + logDir);
  }

  private void observed(LeaderDemo demo) {
    current = demo;
    Failover f = pending;
    if (f != null && demo.getStatus() != null) {
      String next = f.field().apply(demo.getStatus());
      if (next != null && !next.equals(f.from())) {
        double seconds = (System.nanoTime() - f.startNanos()) / 1e9;
        lastFailover = String.format(Locale.ROOT, "%s: %s -> %s, new leader in the status after %.2f s", f.what(),
            f.from(), next, seconds);
        pending = null;
        f.done().complete(lastFailover);
      }
    }
    changed();
  }

  private void changed() {
    redraw.run();
  }

  private int smoke() throws Exception {
    LeaderDemoStatus status = waitFor("a demo leader and an operator leader in the status", Duration.ofSeconds(180),
        s -> s.getLeader() != null && s.getOperatorLeader() != null);
    say("Demo leader " + status.getLeader() + ", operator leader " + status.getOperatorLeader());
    String demoFailover = failover(killDemoLeader(true), Duration.ofSeconds(90));
    say(demoFailover);
    String operatorFailover = failover(killOperatorLeader(false), Duration.ofSeconds(90));
    say(operatorFailover);
    scale(-1);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (kubelet.running().size() != 2) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("scaled to 2 replicas, but " + kubelet.running().size() + " demo processes run");
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    String scaled = "scaled the LeaderDemo from 3 to 2 replicas: 2 demo processes run";
    say(scaled);
    System.out.println("\ndemo-smoke summary\n  " + demoFailover + "\n  " + operatorFailover + "\n  " + scaled
        + "\n1 passed, 0 failed");
    return 0;
  }

  private LeaderDemoStatus waitFor(String what, Duration timeout,
      java.util.function.Predicate<LeaderDemoStatus> condition) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      LeaderDemo demo = current;
      if (demo != null && demo.getStatus() != null && condition.test(demo.getStatus())) {
        return demo.getStatus();
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new TimeoutException("no " + what + " after " + timeout.toSeconds() + " s; logs in " + logDir);
  }

  private String failover(Failover f, Duration timeout) throws Exception {
    try {
      return f.done().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new TimeoutException("no new leader " + timeout.toSeconds() + " s after " + f.what() + " of " + f.from()
          + "; logs in " + logDir);
    }
  }

  /** Graceful: the Pod is deleted, so the kubelet sends SIGTERM. Hard: SIGKILL, then the Pod is force-deleted. */
  private Failover killDemoLeader(boolean graceful) {
    String leader = currentStatus().map(LeaderDemoStatus::getLeader)
        .orElseThrow(() -> new IllegalStateException("no demo leader to kill"));
    Failover f = begin((graceful ? "SIGTERM" : "SIGKILL") + " to demo leader", leader, LeaderDemoStatus::getLeader);
    if (!graceful) {
      LocalProcess process = kubelet.running().get(leader);
      if (process != null) {
        process.kill();
      }
    }
    client.pods().inNamespace(NAMESPACE).withName(leader).withGracePeriod(graceful ? 30 : 0).delete();
    return f;
  }

  private Failover killOperatorLeader(boolean graceful) {
    String leader = currentStatus().map(LeaderDemoStatus::getOperatorLeader)
        .orElseThrow(() -> new IllegalStateException("no operator leader to kill"));
    LocalProcess process = operators.running().stream().filter(p -> p.name().equals(leader)).findFirst()
        .orElseThrow(() -> new IllegalStateException("operator leader " + leader + " is not running"));
    Failover f = begin((graceful ? "SIGTERM" : "SIGKILL") + " to operator leader", leader,
        LeaderDemoStatus::getOperatorLeader);
    if (graceful) {
      process.terminate();
    } else {
      process.kill();
    }
    return f;
  }

  private Failover begin(String what, String from, Function<LeaderDemoStatus, String> field) {
    Failover f = new Failover(what, from, System.nanoTime(), field, new CompletableFuture<>());
    pending = f;
    changed();
    return f;
  }

  private java.util.Optional<LeaderDemoStatus> currentStatus() {
    return java.util.Optional.ofNullable(current).map(LeaderDemo::getStatus);
  }

  private int interactive() throws Exception {
    String saved = stty("-g").trim();
    // -isig: Ctrl-C arrives as a key, so that the processes stop before the control plane does, in order;
    // as a signal it would reach etcd and kube-apiserver (same process group) first
    stty("-icanon", "-echo", "-isig", "min", "1");
    try {
      Snapshot[] last = {null};
      redraw = () -> {
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
            case 't' -> killDemoLeader(true);
            case 'k' -> killDemoLeader(false);
            case 'o' -> killOperatorLeader(true);
            case 'O' -> killOperatorLeader(false);
            case '+' -> scale(1);
            case '-' -> scale(-1);
            default -> { }
          }
        } catch (RuntimeException e) {
          lastFailover = "not done: " + e.getMessage();
          redraw.run();
        }
      }
    } finally {
      redraw = () -> { };
      stty(saved);
    }
  }

  private void scale(int delta) {
    int replicas = Math.max(1, Math.min(50, current.getSpec().getReplicas() + delta));
    cluster.kubectl("patch", "leaderdemo", NAME, "-n", NAMESPACE, "--type=merge", "-p",
        "{\"spec\":{\"replicas\":" + replicas + "}}").assertSuccess();
  }

  private Snapshot snapshot() {
    LeaderDemo demo = current;
    LeaderDemoStatus status = demo == null ? null : demo.getStatus();
    List<Row> rows = new ArrayList<>();
    for (LocalProcess p : operators.running()) {
      boolean leads = status != null && p.name().equals(status.getOperatorLeader());
      rows.add(new Row(leads ? "operator leader" : "operator standby", p.name(), p.pid()));
    }
    kubelet.running().values().stream().sorted(Comparator.comparing(LocalProcess::name)).forEach(p -> {
      boolean leads = status != null && p.name().equals(status.getLeader());
      rows.add(new Row(leads ? "demo leader" : "demo", p.name(), p.pid()));
    });
    Failover f = pending;
    return new Snapshot(NAMESPACE, NAME, status, demo == null ? null : demo.getSpec().getReplicas(), rows,
        lastFailover, f == null ? null : f.what() + " of " + f.from() + ": waiting for the new leader ...",
        cluster.kubeconfig().toString(), logDir.toString());
  }

  private static String stty(String... args) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("sh", "-c", "stty " + String.join(" ", args) + " < /dev/tty")
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }

  private static void say(String message) {
    System.out.println("[demo] " + message);
  }

  /** Stops everything this demo started, in order, and removes its temporary files. Safe to call twice. */
  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    redraw = () -> { };
    say("Stopping the demo processes, the operators and the control plane ...");
    closeQuietly(informer);
    closeQuietly(kubelet);
    closeQuietly(operators);
    if (processes != null) {
      processes.awaitExit(Duration.ofSeconds(10));
      processes.close();
    }
    closeQuietly(client);
    closeQuietly(cluster);
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    deleteRecursively(workDir);
    say("Stopped everything; logs kept in " + logDir);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      System.err.println("while stopping: " + e.getMessage());
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e.getMessage());
    }
  }
}
