package dev.leaderdemo.local;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real local control plane: etcd and kube-apiserver through kube-api-test, kube-controller-manager beside
 * them (garbage collection, Deployment to ReplicaSet to Pod, namespace finalisation), and kubectl. No nodes:
 * pods stay Pending. The binaries come from hack/controlplane.sh, never from a download.
 */
public final class ControlPlane implements AutoCloseable {

  private final Path workDir;
  private final Path binDir;
  private final Path certDir;
  private final KubeAPIServer apiServer;
  private final Path kubeconfig;
  private final String kubeconfigYaml;
  private Process controllerManager;

  private ControlPlane(Path workDir, boolean withControllerManager) throws IOException {
    this.workDir = workDir;
    String version = kubernetesVersion();
    this.certDir = testDir();
    this.binDir = certDir.resolve("k8s").resolve(version + "-linux-amd64");
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl", "kube-controller-manager")) {
      if (!Files.isExecutable(binDir.resolve(binary))) {
        throw new IllegalStateException("The local control plane is missing " + binDir.resolve(binary)
            + ". Build it with hack/controlplane.sh (make test runs it first); it needs Go and a Go module proxy.");
      }
    }
    this.apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withApiServerVersion(version)
        .withOfflineMode(true)
        .withTestDir(certDir.toString())
        .withStartupTimeout(120_000)
        .build());
    apiServer.start();
    this.kubeconfigYaml = apiServer.getKubeConfigYaml();
    this.kubeconfig = workDir.resolve("kubeconfig");
    Files.writeString(kubeconfig, kubeconfigYaml);
    if (withControllerManager) {
      startControllerManager();
    }
  }

  /** Starts a control plane whose files (kubeconfig, logs) go under {@code workDir}. */
  public static ControlPlane start(Path workDir) {
    return start(workDir, true);
  }

  /**
   * @param withControllerManager false leaves out kube-controller-manager: no garbage collection, no ReplicaSets
   *     or Pods, for measurements that its own writes would blur
   */
  public static ControlPlane start(Path workDir, boolean withControllerManager) {
    try {
      Files.createDirectories(workDir);
      return new ControlPlane(workDir, withControllerManager);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path projectDir() {
    return Path.of(System.getProperty("leaderdemo.basedir", "."));
  }

  /** The one place the version is pinned: the Go module that builds the binaries. */
  public static String kubernetesVersion() throws IOException {
    String goMod = Files.readString(projectDir().resolve("hack/controlplane/kubernetes/go.mod"));
    Matcher m = Pattern.compile("(?m)^require k8s\\.io/kubernetes v(\\S+)$").matcher(goMod);
    if (!m.find()) {
      throw new IllegalStateException("no k8s.io/kubernetes version in hack/controlplane/kubernetes/go.mod");
    }
    return m.group(1);
  }

  private static Path testDir() {
    String dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
    return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".kubeapitest");
  }

  private void startControllerManager() throws IOException {
    List<String> command = List.of(binDir.resolve("kube-controller-manager").toString(),
        "--kubeconfig=" + kubeconfig,
        "--leader-elect=false",
        "--controllers=*",
        "--use-service-account-credentials=false",
        "--service-account-private-key-file=" + certDir.resolve("apiserver.key"),
        "--root-ca-file=" + certDir.resolve("apiserver.crt"),
        "--secure-port=0",
        "--concurrent-gc-syncs=5",
        "-v=1");
    controllerManager = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("kube-controller-manager.log").toFile())
        .start();
    try (KubernetesClient client = client()) {
      // the root CA publisher is among the first controllers to run: its ConfigMap says the manager works
      Awaitility.await("kube-controller-manager running its controllers (log: " + workDir
              + "/kube-controller-manager.log)")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> {
            if (!controllerManager.isAlive()) {
              throw new IllegalStateException("kube-controller-manager exited with " + controllerManager.exitValue());
            }
            return client.configMaps().inNamespace("default").withName("kube-root-ca.crt").get() != null;
          });
    }
  }

  /**
   * Restarts etcd and kube-apiserver on the same ports and data, as a control-plane upgrade or crash would.
   *
   * <p>kube-api-test has no restart: it treats any exit of its processes as a failure and tears everything down,
   * deleting etcd's data. So this marks its process wrappers stopped (as its own stop() does), restarts both from
   * their own command lines, and hands the new processes back to the wrappers so that close() still ends them.
   * This reaches into kube-api-test's fields; its version is pinned in pom.xml.
   */
  public void restartApiServerAndEtcd(Duration down) {
    Object apiWrapper = field(apiServer, "kubeApiServerProcess");
    Object etcdWrapper = field(apiServer, "etcdProcess");
    Process api = (Process) field(apiWrapper, "apiServerProcess");
    Process etcd = (Process) field(etcdWrapper, "etcdProcess");
    List<String> apiCommand = commandLine(api);
    List<String> etcdCommand = commandLine(etcd);
    setField(apiWrapper, "stopped", true);
    setField(etcdWrapper, "stopped", true);
    try {
      api.destroyForcibly().waitFor();
      etcd.destroyForcibly().waitFor();
      Thread.sleep(down.toMillis()); // the outage being simulated, not a wait for a condition
      Process newEtcd = new ProcessBuilder(etcdCommand).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("etcd-restarted.log").toFile())).start();
      Process newApi = new ProcessBuilder(apiCommand).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("kube-apiserver-restarted.log").toFile()))
          .start();
      setField(etcdWrapper, "etcdProcess", newEtcd);
      setField(apiWrapper, "apiServerProcess", newApi);
      setField(etcdWrapper, "stopped", false);
      setField(apiWrapper, "stopped", false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    try (KubernetesClient client = client()) {
      Awaitility.await("kube-apiserver ready after the restart").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> "ok".equals(client.raw("/readyz")));
    }
  }

  private static List<String> commandLine(Process process) {
    ProcessHandle.Info info = process.info();
    List<String> command = new ArrayList<>();
    command.add(info.command().orElseThrow(() -> new IllegalStateException("no command line for " + process)));
    command.addAll(Arrays.asList(info.arguments().orElse(new String[0])));
    return command;
  }

  private static Object field(Object target, String name) {
    try {
      java.lang.reflect.Field field = target.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return field.get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: no field " + name, e);
    }
  }

  private static void setField(Object target, String name, Object value) {
    try {
      java.lang.reflect.Field field = target.getClass().getDeclaredField(name);
      field.setAccessible(true);
      field.set(target, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: no field " + name, e);
    }
  }

  public KubernetesClient client() {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public Path workDir() {
    return workDir;
  }

  /** Runs the real kubectl against this control plane. */
  public Kubectl.Result kubectl(String... args) {
    return Kubectl.run(binDir.resolve("kubectl"), kubeconfig, null, args);
  }

  /** Runs kubectl with {@code stdin} as its standard input (for `apply -f -`). */
  public Kubectl.Result kubectlWithInput(String stdin, String... args) {
    return Kubectl.run(binDir.resolve("kubectl"), kubeconfig, stdin, args);
  }

  public Path binary(String name) {
    return binDir.resolve(name);
  }

  @Override
  public void close() {
    if (controllerManager != null) {
      controllerManager.destroy();
      try {
        if (!controllerManager.waitFor(10, TimeUnit.SECONDS)) {
          controllerManager.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    apiServer.stop();
  }

  /** kubectl invocations and their outcome. */
  public static final class Kubectl {
    private Kubectl() {}

    /** What kubectl did: its exit code and both streams. */
    public record Result(int exitCode, String stdout, String stderr) {
      public Result assertSuccess() {
        if (exitCode != 0) {
          throw new AssertionError("kubectl failed with " + exitCode + ": " + stderr + stdout);
        }
        return this;
      }
    }

    static Result run(Path kubectl, Path kubeconfig, String stdin, String... args) {
      List<String> command = new ArrayList<>();
      command.add(kubectl.toString());
      command.add("--kubeconfig=" + kubeconfig);
      command.addAll(Arrays.asList(args));
      try {
        File out = File.createTempFile("kubectl", ".out");
        File err = File.createTempFile("kubectl", ".err");
        try {
          ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
          builder.environment().remove("KUBECONFIG");
          Process process = builder.start();
          if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
          }
          process.getOutputStream().close();
          if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60s");
          }
          return new Result(process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        } finally {
          out.delete();
          err.delete();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while running kubectl", e);
      }
    }
  }
}
