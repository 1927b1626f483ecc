package dev.leaderdemo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.local.LocalCluster;
import dev.leaderdemo.local.LocalDemo;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `make demo-smoke`'s path: LocalDemo --smoke in a JVM of its own, as the Makefile starts it, but on the cluster the
 * ITs share (one node per machine), which it must leave as it found it.
 */
class DemoSmokeIT {

  @Test
  void theSmokeRunPassesWithRealPodsAndLeavesNothingBehind() throws IOException, InterruptedException {
    LocalCluster cluster = SharedCluster.get();
    Path output = Path.of("target/it/demo-smoke.log").toAbsolutePath();
    Files.createDirectories(output.getParent());
    Process smoke = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dleaderdemo.jar=" + System.getProperty("leaderdemo.jar"),
        "-Dleaderdemo.basedir=" + LocalCluster.projectDir(),
        LocalDemo.class.getName(), "--smoke", "--existing-cluster"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      assertThat(smoke.waitFor(15, TimeUnit.MINUTES)).as("the smoke run finished").isTrue();
    } finally {
      // a smoke run that is still going must not go on changing the shared cluster: its shutdown hook cleans up
      smoke.destroy();
      if (!smoke.waitFor(3, TimeUnit.MINUTES)) {
        smoke.destroyForcibly();
      }
    }
    String log = Files.readString(output);
    assertThat(smoke.exitValue()).as(log).isZero();
    assertThat(log).contains("delete of demo leader: leader-election-demo-")
        .contains("delete of operator leader: leaderdemo-operator-")
        .contains("2 demo pods")
        .contains("1 passed, 0 failed");
    try (KubernetesClient client = cluster.client()) {
      assertThat(client.namespaces().withName("leaderdemo-system").get()).as("the operator's namespace").isNull();
      assertThat(client.pods().inNamespace("default").withLabel("app.kubernetes.io/instance",
          "leader-election-demo").list().getItems()).as("demo pods left in default").isEmpty();
    }
  }
}
