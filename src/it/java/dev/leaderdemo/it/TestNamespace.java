package dev.leaderdemo.it;

import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One IT class's share of the shared control plane: a namespace of its own (enforcing the
 * restricted Pod Security Standard), a client, and the local processes it starts (logs in
 * target/it/logs/NAMESPACE). Closing stops the processes and deletes the namespace, and waits until
 * it is gone, so that the next class's operator, which watches every namespace, finds nothing of
 * it.
 */
final class TestNamespace implements AutoCloseable {

  final LocalCluster cluster;
  final KubernetesClient client;
  final LocalProcesses processes;
  final String name;

  TestNamespace(String name) {
    this.name = name;
    this.cluster = SharedCluster.get();
    this.client = cluster.client();
    // PodSecurity admission runs in the API server: pods that break the restricted profile are
    // refused
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
    this.processes = new LocalProcesses(cluster.kubeconfig(), Path.of("target/it/logs", name));
  }

  @Override
  public void close() {
    processes.close();
    client.namespaces().withName(name).delete();
    // its pods stop as pods do (SIGTERM, a release, an exit): wait, so that the next class starts
    // on a clean cluster
    ItSupport.await("namespace " + name + " deleted", Duration.ofSeconds(120))
        .until(() -> client.namespaces().withName(name).get() == null);
    client.close();
  }
}
