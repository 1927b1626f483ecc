package dev.leaderdemo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.localdemo.LocalDemo;
import dev.leaderdemo.testkit.LocalCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * `make demo-smoke`'s path: LocalDemo --smoke in a JVM of its own, as the Makefile starts it, but
 * on the cluster the ITs share (one node per machine), which it must leave as it found it. What it
 * prints is held against what the test itself watched on the cluster meanwhile: the pods it names
 * existed, and the failovers it reports happened in the LeaderDemo's status.
 */
class DemoSmokeIT {

  private static final String NAME = "leader-election-demo";
  private static final String OPERATOR_NS = "leaderdemo-system";
  private static final String DEMO_POD = NAME + "-[a-z0-9]+-[a-z0-9]{5}";
  private static final String OPERATOR_POD = "leaderdemo-operator-[a-z0-9]+-[a-z0-9]{5}";

  @Test
  void theSmokeRunPassesWithRealPodsAndLeavesNothingBehind()
      throws IOException, InterruptedException {
    LocalCluster cluster = SharedCluster.get();
    Path output = Path.of("target/it/demo-smoke.log").toAbsolutePath();
    Files.createDirectories(output.getParent());
    try (KubernetesClient client = cluster.client();
        Seen seen = new Seen(client)) {
      Process smoke =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-cp",
                      System.getProperty("java.class.path"),
                      "-Dleaderdemo.jar=" + System.getProperty("leaderdemo.jar"),
                      "-Dleaderdemo.basedir=" + LocalCluster.projectDir(),
                      LocalDemo.class.getName(),
                      "--smoke",
                      "--existing-cluster"))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try {
        assertThat(smoke.waitFor(15, TimeUnit.MINUTES)).as("the smoke run finished").isTrue();
      } finally {
        // a smoke run that is still going must not go on changing the shared cluster: its shutdown
        // hook cleans up
        smoke.destroy();
        if (!smoke.waitFor(3, TimeUnit.MINUTES)) {
          smoke.destroyForcibly();
        }
      }
      String log = Files.readString(output);
      assertThat(smoke.exitValue()).as(log).isZero();
      assertThat(log).contains("\ndemo-smoke summary\n");
      String summary = log.substring(log.indexOf("\ndemo-smoke summary\n"));

      Matcher pods =
          find(
              log,
              "Demo pods: ("
                  + DEMO_POD
                  + ", "
                  + DEMO_POD
                  + ", "
                  + DEMO_POD
                  + "); operator pods: ("
                  + OPERATOR_POD
                  + ", "
                  + OPERATOR_POD
                  + ")\n");
      List<String> demoPods = names(pods.group(1));
      List<String> operatorPods = names(pods.group(2));
      assertThat(demoPods)
          .as("the demo pods it started with, as the test saw them")
          .doesNotHaveDuplicates()
          .allMatch(seen.demoPods::contains);
      assertThat(operatorPods)
          .as("the operator pods it started with, as the test saw them")
          .doesNotHaveDuplicates()
          .allMatch(seen.operatorPods::contains);
      Matcher leaders =
          find(log, "Demo leader (" + DEMO_POD + "), operator leader (" + OPERATOR_POD + ")\n");
      assertThat(demoPods).contains(leaders.group(1));
      assertThat(operatorPods).contains(leaders.group(2));

      Failover demo = Failover.in(summary, "delete of demo leader", DEMO_POD);
      assertThat(demo.from()).as("the demo leader it deleted").isEqualTo(leaders.group(1));
      assertThat(demo.to()).as("the new demo leader").isNotEqualTo(demo.from()).isIn(seen.demoPods);
      assertThat(seen.leaders)
          .as("status.leader as the test watched it")
          .containsSequence(demo.from(), demo.to());

      Failover operator = Failover.in(summary, "delete of operator leader", OPERATOR_POD);
      assertThat(operator.from()).as("the operator leader it deleted").isEqualTo(leaders.group(2));
      assertThat(operator.to())
          .as("the new operator leader")
          .isNotEqualTo(operator.from())
          .isIn(seen.operatorPods);
      assertThat(seen.operatorLeaders)
          .as("status.operatorLeader as the test watched it")
          .containsSequence(operator.from(), operator.to());

      List<String> left =
          names(
              find(
                      summary,
                      "scaled the LeaderDemo from 3 to 2 replicas: 2 demo pods \\(("
                          + DEMO_POD
                          + ", "
                          + DEMO_POD
                          + ")\\)\n")
                  .group(1));
      assertThat(left)
          .as("the demo pods left after scaling to 2")
          .doesNotHaveDuplicates()
          .doesNotContain(demo.from())
          .allMatch(seen.demoPods::contains);
      assertThat(summary).contains("\n1 passed, 0 failed");

      // it waited for all this before it exited: nothing may be left, and the CRD the ITs share
      // must stay
      assertThat(client.namespaces().withName(OPERATOR_NS).get())
          .as("the operator's namespace")
          .isNull();
      assertThat(
              client
                  .pods()
                  .inNamespace("default")
                  .withLabel(DemoLabels.INSTANCE, NAME)
                  .list()
                  .getItems())
          .as("demo pods left in default")
          .isEmpty();
      assertThat(ItSupport.leaderDemo(client, "default", NAME))
          .as("the sample's LeaderDemo")
          .isNull();
      assertThat(
              client
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("leaderdemos.leaderdemo.dev")
                  .get())
          .as("the CRD")
          .isNotNull();
    }
  }

  /** A failover line: "WHAT: OLD -> NEW, new leader in the status after 1.96 s". */
  private record Failover(String from, String to, double seconds) {
    static Failover in(String summary, String what, String pod) {
      Matcher m =
          find(
              summary,
              Pattern.quote(what)
                  + ": ("
                  + pod
                  + ") -> ("
                  + pod
                  + "), new leader in the status after (\\d+\\.\\d\\d) s\n");
      Failover f = new Failover(m.group(1), m.group(2), Double.parseDouble(m.group(3)));
      // measured from the delete to the new leader in the status, which the smoke run waits 90 s
      // for at most
      assertThat(f.seconds()).as("%s: the measured time", what).isGreaterThan(0).isLessThan(90);
      return f;
    }
  }

  private static Matcher find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as("the smoke output has a line matching %s:%n%s", regex, text).isTrue();
    return m;
  }

  private static List<String> names(String commaSeparated) {
    return Arrays.asList(commaSeparated.split(", "));
  }

  /**
   * What the test watches itself while the smoke run goes: every pod's name, and each leader in the
   * status.
   */
  private static final class Seen implements AutoCloseable {
    final Set<String> demoPods = ConcurrentHashMap.newKeySet();
    final Set<String> operatorPods = ConcurrentHashMap.newKeySet();

    /** status.leader and status.operatorLeader in the order they changed, nobody left out. */
    final List<String> leaders = new CopyOnWriteArrayList<>();

    final List<String> operatorLeaders = new CopyOnWriteArrayList<>();
    private final List<Watch> watches;

    Seen(KubernetesClient client) {
      // a watch of a namespace that does not exist yet (the operator's) sees its pods once it does
      watches =
          List.of(
              client
                  .pods()
                  .inNamespace("default")
                  .withLabel(DemoLabels.INSTANCE, NAME)
                  .watch(ItSupport.recording((Pod p) -> demoPods.add(p.getMetadata().getName()))),
              client
                  .pods()
                  .inNamespace(OPERATOR_NS)
                  .withLabel(DemoLabels.NAME, DemoLabels.OPERATOR)
                  .watch(
                      ItSupport.recording((Pod p) -> operatorPods.add(p.getMetadata().getName()))),
              client
                  .resources(LeaderDemo.class)
                  .inNamespace("default")
                  .withName(NAME)
                  .watch(
                      ItSupport.recording(
                          (LeaderDemo d) -> {
                            if (d.getStatus() != null) {
                              changed(leaders, d.getStatus().getLeader());
                              changed(operatorLeaders, d.getStatus().getOperatorLeader());
                            }
                          })));
    }

    private static void changed(List<String> sequence, String value) {
      if (value != null
          && (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(value))) {
        sequence.add(value);
      }
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }
}
