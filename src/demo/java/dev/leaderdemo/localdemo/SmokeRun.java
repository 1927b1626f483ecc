package dev.leaderdemo.localdemo;

import static dev.leaderdemo.localdemo.LocalDemo.say;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.testkit.BoundedWait;
import dev.leaderdemo.testkit.LocalCluster;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * `make demo-smoke`: the demo without a terminal. Prints what a user would check: the pods, both
 * leaders, each failover with the old and new leader and the measured time, and the pods left after
 * scaling down (DemoSmokeIT holds these lines against the cluster).
 */
final class SmokeRun {

  private final DemoWatch watch;
  private final LeaderActions actions;
  private final FailoverStopwatch stopwatch;

  SmokeRun(DemoWatch watch, LeaderActions actions, FailoverStopwatch stopwatch) {
    this.watch = watch;
    this.actions = actions;
    this.stopwatch = stopwatch;
  }

  /** 0 once everything happened; an exception says what did not. */
  int run() throws Exception {
    waitFor(
        "3 ready demo pods, 2 ready operator pods and both leaders in the status",
        Duration.ofSeconds(240),
        () -> {
          LeaderDemoStatus s = watch.status().orElse(null);
          return s != null
              && s.getLeader() != null
              && s.getOperatorLeader() != null
              && Integer.valueOf(3).equals(s.getReadyReplicas())
              && watch.demoPods().size() == 3
              && watch.readyOperatorPods() == 2
              && watch.operatorPods().size() == 2;
        });
    LeaderDemoStatus status = watch.status().orElseThrow();
    say(
        "Demo pods: "
            + DemoWatch.names(watch.demoPods())
            + "; operator pods: "
            + DemoWatch.names(watch.operatorPods()));
    say("Demo leader " + status.getLeader() + ", operator leader " + status.getOperatorLeader());
    String demoFailover = stopwatch.await(actions.deleteDemoLeader(false), Duration.ofSeconds(90));
    say(demoFailover);
    String operatorFailover =
        stopwatch.await(actions.deleteOperatorLeader(false), Duration.ofSeconds(90));
    say(operatorFailover);
    actions.scale(-1);
    // the operator has carried the new spec to the Deployment, and 2 pods are left, both ready
    waitFor(
        "2 ready demo pods after scaling to 2",
        Duration.ofSeconds(90),
        () -> {
          LeaderDemo demo = watch.current();
          LeaderDemoStatus s = demo == null ? null : demo.getStatus();
          return s != null
              && demo.getSpec().getReplicas() == 2
              && demo.getMetadata().getGeneration().equals(s.getObservedGeneration())
              && Integer.valueOf(2).equals(s.getReadyReplicas())
              && watch.demoPods().size() == 2;
        });
    String scaled =
        "scaled the LeaderDemo from 3 to 2 replicas: 2 demo pods ("
            + DemoWatch.names(watch.demoPods())
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

  private static void waitFor(String what, Duration timeout, BooleanSupplier condition)
      throws TimeoutException {
    try {
      BoundedWait.until(what, timeout, condition);
    } catch (ConditionTimeoutException e) {
      throw new TimeoutException(
          "no "
              + what
              + " after "
              + timeout.toSeconds()
              + " s; cluster logs in "
              + LocalCluster.logDir());
    }
  }
}
