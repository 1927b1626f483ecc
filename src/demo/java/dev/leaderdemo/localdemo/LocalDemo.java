package dev.leaderdemo.localdemo;

import java.util.List;

/**
 * `make demo` and `make demo-smoke`: the leader-election demo as pods on a real local cluster
 * (hack/cluster.sh). The project's image goes onto the node, `make deploy` runs two operator pods,
 * and samples/leaderdemo.yaml three demo pods. The cluster is taken down when the demo ends,
 * however it ends.
 *
 * <p>{@code --smoke} runs {@link SmokeRun} instead of the live view and its keys ({@link
 * DemoKeys}). {@code --existing-cluster} uses the cluster that is up instead of starting one, and
 * removes only what the demo applied (the ITs run the smoke path so).
 */
public final class LocalDemo {

  static final String NAMESPACE = "default";
  static final String NAME = "leader-election-demo";
  static final String OPERATOR_NAMESPACE = "leaderdemo-system";

  private final DemoCluster cluster;
  private DemoWatch watch;
  private FailoverStopwatch stopwatch;
  private LeaderActions actions;
  private volatile DemoKeys keys;
  private boolean stopped;

  private LocalDemo(boolean existingCluster) {
    this.cluster = new DemoCluster(existingCluster);
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
      code = smoke ? new SmokeRun(demo.watch, demo.actions, demo.stopwatch).run() : demo.live();
    } catch (Exception | AssertionError e) {
      System.err.println("demo failed: " + e.getMessage());
    } finally {
      demo.stop();
    }
    System.exit(code);
  }

  /** The cluster and the operator, the watch on both, then the sample: it is watched from birth. */
  private void start() throws Exception {
    cluster.up();
    watch = new DemoWatch(cluster.client());
    stopwatch = new FailoverStopwatch(watch, this::changed);
    watch.start(stopwatch::observed, stopwatch::restartedInPlace, this::changed);
    actions = new LeaderActions(cluster.cluster(), watch, stopwatch);
    cluster.applySample();
  }

  private int live() throws Exception {
    keys =
        new DemoKeys(
            actions,
            stopwatch,
            () ->
                watch.snapshot(
                    stopwatch.lastFailover(),
                    stopwatch.pendingText(),
                    cluster.cluster().kubeconfig().toString()));
    return keys.run();
  }

  private void changed() {
    DemoKeys k = keys;
    if (k != null) {
      k.redraw();
    }
  }

  static void say(String message) {
    System.out.println("[demo] " + message);
  }

  /** Takes down what this demo started, however it ends. Idempotent. */
  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    DemoKeys k = keys;
    if (k != null) {
      k.stop();
    }
    if (actions != null) {
      actions.close();
    }
    if (watch != null) {
      watch.close();
    }
    cluster.tearDown();
  }
}
