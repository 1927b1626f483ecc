package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.testkit.LocalCluster.Paused;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A leading demo pod and a leading operator replica, told to stop while the API server hangs, still
 * exit well inside the 30 s termination grace period: their attempt to release the Lease has a
 * budget instead of fabric8's timeouts and retries (ten seconds a request, ten retries).
 */
class ShutdownIT {

  private static final String NS = "shutdown-it";
  private static final String NAME = "stopping";

  /**
   * A third of the grace period: the release budget (2 s) and JOSDK's stop (4 s at most), with room
   * to spare.
   */
  private static final Duration EXIT_WITHIN = Duration.ofSeconds(10);

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  @Test
  void theLeadingDemoPodAndOperatorExitSoonAfterSigtermWhileTheApiServerHangs() {
    LocalProcess operator =
        namespace.processes().operator("operator-shutdown", NS, ItSupport.OPERATOR_TIMINGS);
    namespace.cluster().apply(NS, ItSupport.leaderDemoYaml(NAME, 1).yaml()).assertSuccess();
    String leaderPod =
        await("a leading demo pod", Duration.ofSeconds(120))
            .until(
                () -> {
                  LeaderDemo demo = ItSupport.leaderDemo(namespace.client(), NS, NAME);
                  return demo.getStatus() == null ? null : demo.getStatus().getLeader();
                },
                leader -> leader != null);
    // the kubelet reports the container a little after the app inside has won the election
    await("the leading demo pod ready", Duration.ofSeconds(60))
        .until(() -> ItSupport.readyPods(namespace.client(), NS, NAME) == 1);
    await("the operator to hold its lease", Duration.ofSeconds(30))
        .until(() -> operator.http("/leader").body().contains("\"isLeader\":true"));
    List<ProcessHandle> demoProcesses =
        namespace.cluster().containerPids(NS, leaderPod).stream()
            .map(pid -> ProcessHandle.of(pid).orElseThrow())
            .toList();

    long[] exitMillis = {-1, -1};
    try (Paused hung = namespace.cluster().pause("kube-apiserver")) {
      long start = System.nanoTime();
      demoProcesses.forEach(ProcessHandle::destroy); // SIGTERM, as the kubelet sends it
      operator.terminate();
      await("both to exit", Duration.ofSeconds(40))
          .until(
              () -> {
                long now = (System.nanoTime() - start) / 1_000_000;
                if (exitMillis[0] < 0 && demoProcesses.stream().noneMatch(ProcessHandle::isAlive)) {
                  exitMillis[0] = now;
                }
                if (exitMillis[1] < 0 && !operator.isAlive()) {
                  exitMillis[1] = now;
                }
                return exitMillis[0] >= 0 && exitMillis[1] >= 0;
              });
    }
    long demoMillis = exitMillis[0];
    long operatorMillis = exitMillis[1];
    System.out.printf(
        "SIGTERM to exit with the API server hung: demo pod %d ms, operator %d ms%n",
        demoMillis, operatorMillis);
    assertThat(Duration.ofMillis(demoMillis)).as("demo pod exit").isLessThan(EXIT_WITHIN);
    assertThat(Duration.ofMillis(operatorMillis)).as("operator exit").isLessThan(EXIT_WITHIN);
    assertThat(operator.log()).contains("operator-shutdown stopped");
  }
}
