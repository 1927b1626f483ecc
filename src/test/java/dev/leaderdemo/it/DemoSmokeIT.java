package dev.leaderdemo.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.local.LocalCluster;
import dev.leaderdemo.local.LocalDemo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** `make demo-smoke`'s path: LocalDemo --smoke in a JVM of its own, as the Makefile starts it. */
class DemoSmokeIT {

  @Test
  void theSmokeRunPassesAndLeavesNothingRunning() throws IOException, InterruptedException {
    Path output = Path.of("target/it/demo-smoke.log").toAbsolutePath();
    Files.createDirectories(output.getParent());
    Process smoke = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dleaderdemo.jar=" + System.getProperty("leaderdemo.jar"),
        "-Dleaderdemo.basedir=" + LocalCluster.projectDir().toAbsolutePath(),
        LocalDemo.class.getName(), "--smoke"))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    Set<ProcessHandle> started = new HashSet<>();
    while (!smoke.waitFor(250, TimeUnit.MILLISECONDS)) {
      smoke.toHandle().descendants().forEach(started::add);
      assertThat(started.size()).as("processes started by the smoke run").isLessThan(100);
    }
    String log = Files.readString(output);
    assertThat(smoke.exitValue()).as(log).isZero();
    assertThat(log).contains("SIGTERM to demo leader: leader-election-demo-")
        .contains("SIGKILL to operator leader: leaderdemo-operator-")
        .contains("2 demo processes run")
        .contains("1 passed, 0 failed");
    assertThat(started).as("the smoke run started etcd, kube-apiserver, kcm, operators and demo pods")
        .hasSizeGreaterThanOrEqualTo(8);
    assertThat(started.stream().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
        .as("processes left running").isEmpty();
  }
}
