package dev.leaderdemo.local;

import dev.leaderdemo.dependent.DemoResources;
import dev.leaderdemo.local.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the kubelet on a control plane without nodes: every Pod of one LeaderDemo's Deployment runs as a
 * local process of the demo app, with the Pod's name as its identity and the Pod's own environment (downward-API
 * fields resolved). A deleted Pod's process gets SIGTERM; a process that dies while its Pod exists is restarted,
 * as a container would be. So scaling or rolling the LeaderDemo changes the processes as it would change pods.
 */
public final class LocalKubelet implements AutoCloseable {

  private static final long RESTART_DELAY_MS = 1000;

  private final KubernetesClient client;
  private final LocalProcesses processes;
  private final String namespace;
  private final String leaderDemo;
  private final Runnable onChange;
  private final Map<String, LocalProcess> running = new ConcurrentHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "local-kubelet");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closing;
  private SharedIndexInformer<Pod> informer;

  public LocalKubelet(KubernetesClient client, LocalProcesses processes, String namespace, String leaderDemo,
      Runnable onChange) {
    this.client = client;
    this.processes = processes;
    this.namespace = namespace;
    this.leaderDemo = leaderDemo;
    this.onChange = onChange;
  }

  public LocalKubelet start() {
    informer = client.pods().inNamespace(namespace).withLabel(DemoResources.LABEL_INSTANCE, leaderDemo)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            podChanged(pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            podChanged(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            podGone(pod.getMetadata().getName());
          }
        });
    return this;
  }

  private void podChanged(Pod pod) {
    String name = pod.getMetadata().getName();
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      podGone(name);
      return;
    }
    pods.put(name, pod);
    ensureRunning(name);
  }

  private synchronized void ensureRunning(String name) {
    Pod pod = pods.get(name);
    if (closing || pod == null || running.containsKey(name)) {
      return;
    }
    LocalProcess process = processes.demo(name, namespace, environment(pod));
    running.put(name, process);
    process.onExit(() -> {
      running.remove(name, process);
      onChange.run();
      restarts.schedule(() -> ensureRunning(name), RESTART_DELAY_MS, TimeUnit.MILLISECONDS);
    });
    onChange.run();
  }

  private void podGone(String name) {
    pods.remove(name);
    LocalProcess process = running.get(name);
    if (process != null) {
      process.terminate();
    }
    onChange.run();
  }

  static Map<String, String> environment(Pod pod) {
    Map<String, String> env = new HashMap<>();
    List<EnvVar> vars = pod.getSpec().getContainers().get(0).getEnv();
    for (EnvVar var : vars) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        String path = var.getValueFrom().getFieldRef().getFieldPath();
        if ("metadata.name".equals(path)) {
          env.put(var.getName(), pod.getMetadata().getName());
        } else if ("metadata.namespace".equals(path)) {
          env.put(var.getName(), pod.getMetadata().getNamespace());
        }
      }
    }
    env.put("HTTP_PORT", "0"); // every "pod" shares this machine's ports
    return env;
  }

  /** The demo processes by pod name. */
  public Map<String, LocalProcess> running() {
    return Map.copyOf(running);
  }

  @Override
  public void close() {
    closing = true;
    if (informer != null) {
      informer.close();
    }
    restarts.shutdownNow();
    running.values().forEach(LocalProcess::terminate);
  }
}
