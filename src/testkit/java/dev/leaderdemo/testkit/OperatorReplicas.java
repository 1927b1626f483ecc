package dev.leaderdemo.testkit;

import dev.leaderdemo.process.DaemonThreads;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a number of operator replicas running as local processes, as the operator's Deployment
 * would: a replica that exits is replaced by a new one with a new pod-like name.
 */
public final class OperatorReplicas implements AutoCloseable {

  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final LocalProcesses processes;
  private final String namespace;
  private final int replicas;
  private final Map<String, String> env;
  private final Runnable onChange;
  private final Random random = new Random();
  private final String replicaSet;
  private final List<LocalProcess> running = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService replacements =
      DaemonThreads.scheduler("operator-replicas");
  private volatile boolean closing;

  public OperatorReplicas(
      LocalProcesses processes,
      String namespace,
      int replicas,
      Map<String, String> env,
      Runnable onChange) {
    this.processes = processes;
    this.namespace = namespace;
    this.replicas = replicas;
    this.env = env;
    this.onChange = onChange;
    this.replicaSet = suffix(10);
  }

  public OperatorReplicas start() {
    for (int i = 0; i < replicas; i++) {
      startOne();
    }
    return this;
  }

  private synchronized void startOne() {
    if (closing) {
      return;
    }
    LocalProcess process =
        processes.operator("leaderdemo-operator-" + replicaSet + "-" + suffix(5), namespace, env);
    running.add(process);
    process.onExit(
        () -> {
          running.remove(process);
          onChange.run();
          replacements.schedule(this::startOne, 1, TimeUnit.SECONDS);
        });
    onChange.run();
  }

  private String suffix(int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }

  public List<LocalProcess> running() {
    return List.copyOf(running);
  }

  @Override
  public void close() {
    closing = true;
    replacements.shutdownNow();
    running.forEach(LocalProcess::terminate);
  }
}
