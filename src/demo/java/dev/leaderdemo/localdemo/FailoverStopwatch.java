package dev.leaderdemo.localdemo;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Times a failover from the action to the new leader in the LeaderDemo's status (or, for a crash,
 * to the leader restarted in place and renewing its own lease), and words it for the screen and the
 * smoke run's summary.
 */
final class FailoverStopwatch {

  /**
   * A failover under way: what was done, to whom, which status field names the successor, and for a
   * crash the pod's restarts before it (-1 otherwise): a crashed leader that the kubelet restarts
   * in time keeps its lease.
   */
  record Failover(
      String what,
      String from,
      long startNanos,
      Function<LeaderDemoStatus, String> field,
      int restartsBefore,
      CompletableFuture<String> done) {}

  private final DemoWatch watch;
  private final Runnable changed;
  private volatile Failover pending;
  private volatile String lastFailover;

  /**
   * @param changed runs when what the stopwatch shows changes
   */
  FailoverStopwatch(DemoWatch watch, Runnable changed) {
    this.watch = watch;
    this.changed = changed;
  }

  /** Starts timing; replaces a failover still under way. */
  Failover begin(
      String what, String from, Function<LeaderDemoStatus, String> field, int restartsBefore) {
    Failover f =
        new Failover(
            what, from, System.nanoTime(), field, restartsBefore, new CompletableFuture<>());
    pending = f;
    changed.run();
    return f;
  }

  /** The LeaderDemo as seen now: stops the clock when its status names a new leader. */
  void observed(LeaderDemo demo) {
    Failover f = pending;
    if (f != null && demo.getStatus() != null) {
      String next = f.field().apply(demo.getStatus());
      if (next != null && !next.equals(f.from())) {
        double seconds = (System.nanoTime() - f.startNanos()) / 1e9;
        finish(
            f,
            String.format(
                Locale.ROOT,
                "%s: %s -> %s, new leader in the status after %.2f s",
                f.what(),
                f.from(),
                next,
                seconds));
      }
    }
  }

  /**
   * A pod as seen now: stops the clock when the crashed leader is back, ready, in the same pod, and
   * renewed the lease it still holds.
   */
  void restartedInPlace(Pod pod) {
    Failover f = pending;
    LeaderDemoStatus status = watch.status().orElse(null);
    if (f == null
        || f.restartsBefore() < 0
        || !pod.getMetadata().getName().equals(f.from())
        || status == null
        || !f.from().equals(f.field().apply(status))
        || !Pods.isReady(pod)
        || Pods.restarts(pod) <= f.restartsBefore()
        || !watch.renewedSinceItStarted(pod)) {
      return;
    }
    double seconds = (System.nanoTime() - f.startNanos()) / 1e9;
    finish(
        f,
        String.format(
            Locale.ROOT,
            "%s: %s restarted in place after %.2f s and renewed its own lease: no failover",
            f.what(),
            f.from(),
            seconds));
  }

  private void finish(Failover f, String outcome) {
    lastFailover = outcome;
    pending = null;
    f.done().complete(outcome);
  }

  /** An action that could not be done (a pod that was gone already, say): the demo goes on. */
  void notDone(String reason) {
    pending = null;
    lastFailover = "not done: " + reason;
  }

  boolean isPending(Failover f) {
    return pending == f;
  }

  /** The outcome of the failover, once the new leader is in the status. */
  String await(Failover f, Duration timeout) throws Exception {
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

  String lastFailover() {
    return lastFailover;
  }

  /** The failover under way as the screen words it, or null. */
  String pendingText() {
    Failover f = pending;
    return f == null ? null : f.what() + " " + f.from() + ": waiting for the new leader ...";
  }
}
