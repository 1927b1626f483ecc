package dev.leaderdemo.bench;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.dependent.DesiredObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The scale section's ceiling as a JVM of its own, started fresh each round as the operator is: a
 * client that has written thousands of objects before is compiled by then, a new operator is not,
 * and one bench JVM writing every round would compare the one with the other.
 *
 * <p>Reads lines "NAMESPACE N all" from stdin, for each of which it writes N LeaderDemos, their
 * five objects and a status, and "NAMESPACE N demos", for the LeaderDemos alone (the operator's
 * part of the same round), with {@link #THREADS} threads; then prints "done". Prints "ready" once
 * its client is built.
 */
public final class CeilingClient {

  static final int THREADS = 16;

  private CeilingClient() {}

  public static void main(String[] args) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      System.out.println("ready");
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split(" ");
        write(client, words[0], Integer.parseInt(words[1]), words[2].equals("all"));
        System.out.println("done");
      }
    }
  }

  private static void write(KubernetesClient client, String ns, int n, boolean all)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = "ld-" + i;
        done.add(pool.submit(() -> writeOne(client, ns, name, all)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void writeOne(KubernetesClient client, String ns, String name, boolean all) {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    LeaderDemoSpec spec = new LeaderDemoSpec();
    spec.setReplicas(1);
    demo.setSpec(spec);
    demo = client.resource(demo).create();
    if (!all) {
      return;
    }
    for (HasMetadata object : DesiredObjects.of(demo, "leaderdemo-operator:bench")) {
      client.resource(object).create();
    }
    LeaderDemoStatus status = new LeaderDemoStatus();
    status.setOperatorLeader("ceiling");
    demo.setStatus(status);
    client.resource(demo).updateStatus();
  }
}
