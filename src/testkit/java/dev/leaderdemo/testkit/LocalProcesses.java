package dev.leaderdemo.testkit;

import dev.leaderdemo.contract.DemoPodEnvironment;
import dev.leaderdemo.operator.OperatorConfig;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operator replicas and demo pods as local JVM processes of the real jar, each with a pod-like
 * identity, standing in for pods on a control plane that has no nodes. Everything started here is
 * killed on close.
 */
public final class LocalProcesses implements AutoCloseable {

  /** Small heaps and a quick JIT: several JVMs share two cores in CI. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private final List<String> jvmOptions;
  private final Path jar;
  private final Path kubeconfig;
  private final Path logDir;
  private final List<LocalProcess> started = new ArrayList<>();

  public LocalProcesses(Path kubeconfig, Path logDir) {
    this(kubeconfig, logDir, JVM_OPTIONS);
  }

  /**
   * @param jvmOptions options of every JVM started here, in place of the small defaults
   */
  public LocalProcesses(Path kubeconfig, Path logDir, List<String> jvmOptions) {
    this.jvmOptions = jvmOptions;
    this.jar = Path.of(System.getProperty("leaderdemo.jar", "target/leaderdemo.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with mvn package (make test does)");
    }
    this.kubeconfig = kubeconfig;
    this.logDir = logDir;
    try {
      if (Files.isDirectory(logDir)) {
        try (var old = Files.list(logDir)) {
          for (Path file : old.toList()) {
            Files.delete(file);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where each process's output goes, one file each. */
  public Path logDir() {
    return logDir;
  }

  /**
   * An operator replica with leader election on the lease in {@code namespace}, with what the
   * downward API gives its pod and a port of its own on this machine; {@code env} comes on top.
   */
  public LocalProcess operator(String identity, String namespace, Map<String, String> env) {
    return start(
        identity,
        "operator",
        Map.of(
            OperatorConfig.ENV_POD_NAME, identity,
            OperatorConfig.ENV_POD_NAMESPACE, namespace,
            OperatorConfig.ENV_HTTP_PORT, "0"),
        env);
  }

  /**
   * A demo pod competing for the Lease its {@code env} names, as the demo Deployment would run it
   * (the downward API's names, a port of its own).
   */
  public LocalProcess demo(String identity, String namespace, Map<String, String> env) {
    Map<String, String> pod = new HashMap<>(demoPod(identity, namespace));
    pod.putAll(apiServerWithoutKubeconfig());
    return start(identity, "demo", pod, env);
  }

  /**
   * The API server and credentials of the kubeconfig as fabric8's {@code KUBERNETES_*} variables. A
   * demo pod finds its API server without a kubeconfig; reading one would make fabric8 load its
   * model registry, some 700 classes that a demo pod never loads.
   */
  private Map<String, String> apiServerWithoutKubeconfig() {
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_MASTER", config.getMasterUrl());
    putIfSet(env, "KUBERNETES_CERTS_CA_FILE", config.getCaCertFile());
    putIfSet(env, "KUBERNETES_CERTS_CLIENT_FILE", config.getClientCertFile());
    putIfSet(env, "KUBERNETES_CERTS_CLIENT_KEY_FILE", config.getClientKeyFile());
    putIfSet(env, "KUBERNETES_AUTH_TOKEN", config.getOauthToken());
    return env;
  }

  private static void putIfSet(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }

  /**
   * The client-go peer of the demo app (hack/election-peer, built by hack/election-peer.sh), with
   * the demo pod's environment names.
   */
  public LocalProcess electionPeer(
      Path binary, String identity, String namespace, Map<String, String> env) {
    return start(identity, List.of(binary.toString()), demoPod(identity, namespace), env);
  }

  /** What the downward API gives a demo pod, and a port of its own on this machine. */
  private static Map<String, String> demoPod(String identity, String namespace) {
    return Map.of(
        DemoPodEnvironment.POD_NAME, identity,
        DemoPodEnvironment.POD_NAMESPACE, namespace,
        DemoPodEnvironment.HTTP_PORT, "0");
  }

  /** {@code env} comes on top of what the downward API would give the pod ({@code pod}). */
  private LocalProcess start(
      String name, String command, Map<String, String> pod, Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add(command);
    return start(name, cmd, pod, env);
  }

  private LocalProcess start(
      String name, List<String> cmd, Map<String, String> pod, Map<String, String> env) {
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      ProcessBuilder builder =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      if (pod.containsKey("KUBERNETES_MASTER")) {
        builder.environment().remove("KUBECONFIG");
      } else {
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
      }
      builder.environment().remove("HOSTNAME");
      builder.environment().putAll(pod);
      builder.environment().putAll(env);
      LocalProcess process = new LocalProcess(name, builder.start(), log);
      synchronized (started) {
        started.add(process);
      }
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until every process started here has exited, or the timeout has passed. */
  public void awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<LocalProcess> all;
    synchronized (started) {
      all = List.copyOf(started);
    }
    for (LocalProcess process : all) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !process.waitForExit(Duration.ofNanos(left))) {
        return;
      }
    }
  }

  @Override
  public void close() {
    synchronized (started) {
      started.forEach(LocalProcess::kill);
      started.clear();
    }
  }

  /** One started process. */
  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

  public static final class LocalProcess {
    private final String name;
    private final Process process;
    private final Path log;

    LocalProcess(String name, Process process, Path log) {
      this.name = name;
      this.process = process;
      this.log = log;
    }

    public String name() {
      return name;
    }

    public long pid() {
      return process.pid();
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Runs {@code action} once the process has exited, whatever ended it. */
    public void onExit(Runnable action) {
      process.onExit().thenRun(action);
    }

    /** SIGTERM, as the kubelet sends on pod deletion. */
    public void terminate() {
      signal("TERM");
    }

    /** SIGKILL: a crash. */
    public void kill() {
      if (process.isAlive()) {
        signal("CONT");
        process.destroyForcibly();
      }
    }

    public void pause() {
      signal("STOP");
    }

    public void resume() {
      signal("CONT");
    }

    private void signal(String signal) {
      try {
        Process kill =
            new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).start();
        kill.waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    public boolean waitForExit(Duration timeout) {
      try {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    private volatile int httpPort;

    /** The HTTP port the process logged ("... on port N"). */
    public int httpPort() {
      if (httpPort > 0) {
        return httpPort;
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("on port (\\d+)").matcher(log());
      if (!m.find()) {
        throw new IllegalStateException(name + " has not logged its HTTP port");
      }
      httpPort = Integer.parseInt(m.group(1));
      return httpPort;
    }

    /** GET of a path on the process's HTTP port; the answer's code and body. */
    public java.net.http.HttpResponse<String> http(String path) {
      try {
        return HTTP.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    public int exitCode() {
      return process.exitValue();
    }

    public String log() {
      try {
        return Files.exists(log) ? Files.readString(log) : "";
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return name + " (pid " + process.pid() + ")";
    }
  }
}
