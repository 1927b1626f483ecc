package dev.leaderdemo.testkit;

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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real local cluster of hack/cluster.sh: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and a node (kubelet, kube-proxy, containerd), with the project's image imported
 * into the node under the name the manifests use. Starting takes it up (a stale one is taken down
 * first); closing takes it down, leaving nothing.
 */
public final class LocalCluster implements AutoCloseable {

  /**
   * The image the node runs for the operator and the demo pods, as {@code make deploy IMG=...}
   * names it.
   */
  public static final String IMAGE = "leaderdemo-operator:dev";

  private final Path workDir;
  private final Path kubeconfig;
  private final Path binDir;
  private final String kubeconfigYaml;
  private final boolean owned;

  private LocalCluster(Path workDir, Path kubeconfig, Path binDir, boolean owned)
      throws IOException {
    this.workDir = workDir;
    this.kubeconfig = kubeconfig;
    this.binDir = binDir;
    this.kubeconfigYaml = Files.readString(kubeconfig);
    this.owned = owned;
  }

  /** Brings the whole cluster up; its script's output goes to {@code workDir}/cluster.log. */
  public static LocalCluster start(Path workDir) {
    return start(workDir, List.of());
  }

  /**
   * @param without components to leave out (kube-controller-manager, kubelet, ...)
   */
  public static LocalCluster start(Path workDir, List<String> without) {
    try {
      Files.createDirectories(workDir);
      Path binDir = Path.of(hack(workDir, Map.of(), "controlplane.sh", "--dir").strip());
      String kubeconfig =
          hack(workDir, Map.of("CLUSTER_WITHOUT", String.join(" ", without)), "cluster.sh", "up");
      // the kubeconfig's path is the script's last line
      return new LocalCluster(
          workDir,
          Path.of(kubeconfig.strip().lines().reduce((a, b) -> b).orElse("")),
          binDir,
          true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The cluster that is up already; closing this leaves it up. */
  public static LocalCluster existing(Path workDir) {
    try {
      Files.createDirectories(workDir);
      Path binDir = Path.of(hack(workDir, Map.of(), "controlplane.sh", "--dir").strip());
      Path kubeconfig = Path.of(hack(workDir, Map.of(), "cluster.sh", "kubeconfig").strip());
      if (!Files.isRegularFile(kubeconfig)) {
        throw new IllegalStateException(
            "no local cluster is up (" + kubeconfig + " is missing): hack/cluster.sh up");
      }
      return new LocalCluster(workDir, kubeconfig, binDir, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * This cluster seen through a kubeconfig whose current namespace is {@code namespace}, so that
   * kubectl commands can be run as a user types them, without -n. Closing it leaves the cluster up.
   */
  public LocalCluster inNamespace(String namespace) {
    try {
      if (!kubeconfigYaml.contains("namespace: default")) {
        // kubectl would silently work in the kubeconfig's namespace instead
        throw new IllegalStateException(
            "no \"namespace: default\" in " + kubeconfig + " to replace");
      }
      Path copy = workDir.resolve("kubeconfig-" + namespace);
      Files.writeString(
          copy, kubeconfigYaml.replace("namespace: default", "namespace: " + namespace));
      return new LocalCluster(workDir, copy, binDir, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where hack/cluster.sh writes the logs of every component. */
  public static Path logDir() {
    return projectDir().resolve("target/cluster-logs");
  }

  /**
   * Runs a target of the project's Makefile against this cluster, as a user with this kubeconfig
   * would.
   */
  public void make(String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "make",
                "--no-print-directory",
                "KUBECTL=" + binary("kubectl") + " --kubeconfig=" + kubeconfig));
    command.addAll(Arrays.asList(args));
    Path log = workDir.resolve("make.log");
    try {
      Process make =
          new ProcessBuilder(command)
              .directory(projectDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      if (!make.waitFor(10, TimeUnit.MINUTES) || make.exitValue() != 0) {
        make.destroyForcibly();
        throw new IllegalStateException("make " + String.join(" ", args) + " failed; see " + log);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during make " + String.join(" ", args), e);
    }
  }

  /**
   * `make undeploy`, then waits until the operator's namespace is gone: its pods watch every
   * namespace, and whatever runs next must not find them.
   */
  public void undeploy() {
    make("undeploy");
    kubectl("wait", "--for=delete", "namespace/leaderdemo-system", "--timeout=120s")
        .assertSuccess();
  }

  /**
   * Sends a signal to the processes of a pod's container from the node: KILL is a crash, STOP a
   * hang, neither of which any kubectl command gives (a forced delete still sends SIGTERM first).
   */
  public void signal(String signal, String namespace, String pod) {
    hack(workDir, Map.of(), "cluster.sh", "signal", signal, namespace, pod);
  }

  /**
   * Freezes components (SIGSTOP): connections stay open and nothing answers, as with a hung API
   * server. Closing the result resumes them.
   */
  public Paused pause(String... components) {
    List<String> args = new ArrayList<>(List.of("pause"));
    args.addAll(Arrays.asList(components));
    hack(workDir, Map.of(), "cluster.sh", args.toArray(String[]::new));
    return () -> {
      List<String> resume = new ArrayList<>(List.of("resume"));
      resume.addAll(Arrays.asList(components));
      hack(workDir, Map.of(), "cluster.sh", resume.toArray(String[]::new));
    };
  }

  /** Paused components; closing resumes them. */
  public interface Paused extends AutoCloseable {
    @Override
    void close();
  }

  /** The CRD the build generates into crds/. */
  public static Path crdFile() {
    return projectDir().resolve("crds/leaderdemos.leaderdemo.dev-v1.yml");
  }

  /** Applies the project's CRD (crds/) and waits until the API server serves it. */
  public void installCrd() {
    kubectl("apply", "--server-side", "-f", crdFile().toString()).assertSuccess();
    kubectl(
            "wait",
            "--for=condition=Established",
            "--timeout=60s",
            "crd/leaderdemos.leaderdemo.dev")
        .assertSuccess();
  }

  /**
   * Builds the project's image from the Dockerfile (no Docker engine) and imports it into the node.
   */
  public void loadProjectImage() {
    Path archive = workDir.resolve("image.tar");
    hack(workDir, Map.of(), "image.sh", "app", IMAGE);
    hack(workDir, Map.of(), "image.sh", "archive", IMAGE, archive.toString());
    hack(workDir, Map.of(), "cluster.sh", "load", archive.toString());
    try {
      Files.delete(archive);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops components and starts them again on the same data, {@code down} apart, as a crash or
   * upgrade would.
   */
  public void restart(Duration down, String... components) {
    List<String> args = new ArrayList<>(List.of("restart"));
    args.addAll(Arrays.asList(components));
    hack(
        workDir,
        Map.of("CLUSTER_DOWN_SECONDS", Long.toString(down.toSeconds())),
        "cluster.sh",
        args.toArray(String[]::new));
  }

  /** The host PIDs of the processes of a pod's first container. */
  public List<Long> containerPids(String namespace, String pod) {
    return Arrays.stream(
            hack(workDir, Map.of(), "cluster.sh", "pids", namespace, pod).strip().split("\\s+"))
        .map(Long::parseLong)
        .toList();
  }

  /** The host PID of a component of the cluster (etcd, kube-apiserver, ...). */
  public long componentPid(String component) {
    return Long.parseLong(hack(workDir, Map.of(), "cluster.sh", "pid", component).strip());
  }

  /**
   * Runs a script of hack/, its output appended to workDir/cluster.log; returns its standard
   * output.
   */
  private static String hack(Path workDir, Map<String, String> env, String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add(projectDir().resolve("hack").resolve(script).toString());
    command.addAll(Arrays.asList(args));
    Path log = workDir.resolve("cluster.log");
    try {
      File out = File.createTempFile("hack", ".out");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .directory(projectDir().toFile())
                .redirectOutput(out)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              String.join(" ", command) + " did not finish in 30 minutes");
        }
        if (process.exitValue() != 0) {
          List<String> lines = Files.readAllLines(log);
          throw new IllegalStateException(
              String.join(" ", command)
                  + " failed with "
                  + process.exitValue()
                  + ":\n"
                  + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        }
        return Files.readString(out.toPath());
      } finally {
        out.delete();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  public static Path projectDir() {
    return Path.of(System.getProperty("leaderdemo.basedir", ".")).toAbsolutePath();
  }

  /** The one place the version is pinned: the Go module that builds the binaries. */
  public static String kubernetesVersion() throws IOException {
    String goMod = Files.readString(projectDir().resolve("hack/controlplane/kubernetes/go.mod"));
    Matcher m = Pattern.compile("(?m)^require k8s\\.io/kubernetes v(\\S+)$").matcher(goMod);
    if (!m.find()) {
      throw new IllegalStateException(
          "no k8s.io/kubernetes version in hack/controlplane/kubernetes/go.mod");
    }
    return m.group(1);
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

  /** Runs the real kubectl against this cluster. */
  public Kubectl.Result kubectl(String... args) {
    return Kubectl.run(binDir.resolve("kubectl"), kubeconfig, null, args);
  }

  /** Runs kubectl with {@code stdin} as its standard input (for `apply -f -`). */
  public Kubectl.Result kubectlWithInput(String stdin, String... args) {
    return Kubectl.run(binDir.resolve("kubectl"), kubeconfig, stdin, args);
  }

  /** `kubectl apply FLAGS -n NAMESPACE -f -` of {@code yaml} (--dry-run=server, say). */
  public Kubectl.Result apply(String namespace, String yaml, String... flags) {
    List<String> args = new ArrayList<>(List.of("apply"));
    args.addAll(Arrays.asList(flags));
    args.addAll(List.of("-n", namespace, "-f", "-"));
    return kubectlWithInput(yaml, args.toArray(String[]::new));
  }

  /**
   * `kubectl patch KIND NAME -n NAMESPACE --type=merge -p JSON`, as a user types it; {@code more}
   * comes after (--subresource=status, -o ...).
   */
  public Kubectl.Result mergePatch(
      String kind, String name, String namespace, String json, String... more) {
    List<String> args =
        new ArrayList<>(List.of("patch", kind, name, "-n", namespace, "--type=merge", "-p", json));
    args.addAll(Arrays.asList(more));
    return kubectl(args.toArray(String[]::new));
  }

  /** samples/leaderdemo.yaml, which the README has users apply. */
  public static Path sample() {
    return projectDir().resolve("samples/leaderdemo.yaml");
  }

  /**
   * Starts a long-running kubectl ({@code get -w}, {@code logs -f}) whose output accumulates, as a
   * user watching a terminal would see it; closing it ends kubectl.
   */
  public Follow kubectlFollow(String... args) {
    List<String> command =
        new ArrayList<>(List.of(binary("kubectl").toString(), "--kubeconfig=" + kubeconfig));
    command.addAll(Arrays.asList(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().remove("KUBECONFIG");
      return new Follow(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The accumulating output of a kubectl that keeps running. */
  public static final class Follow implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();

    Follow(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (var in =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(
                            process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    output.append(line).append('\n');
                  }
                } catch (IOException e) {
                  output
                      .append("(reading kubectl's output failed: ")
                      .append(e.getMessage())
                      .append(")\n");
                }
              },
              "kubectl-follow");
      reader.setDaemon(true);
      reader.start();
    }

    public String output() {
      return output.toString();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public void close() {
      process.destroy();
    }
  }

  public Path binary(String name) {
    return binDir.resolve(name);
  }

  @Override
  public void close() {
    if (owned) {
      hack(workDir, Map.of(), "cluster.sh", "down");
    }
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
          ProcessBuilder builder =
              new ProcessBuilder(command).redirectOutput(out).redirectError(err);
          builder.environment().remove("KUBECONFIG");
          Process process = builder.start();
          if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
          }
          process.getOutputStream().close();
          // longer than any --timeout the tests give kubectl
          if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(
                "kubectl " + String.join(" ", args) + " did not finish in 180s");
          }
          return new Result(
              process.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
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
