package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;

import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One IT class's share of the shared control plane, as a JUnit extension ({@code @RegisterExtension
 * static final TestNamespace namespace = new TestNamespace("x-it")}): before the class's
 * {@code @BeforeAll}, a namespace of its own (enforcing the restricted Pod Security Standard), a
 * client, and the local processes it starts (logs in target/it/logs/NAMESPACE). After the class's
 * {@code @AfterAll} it stops the processes, deletes the namespace and waits until it is gone, so
 * that the next class's operator, which watches every namespace, finds nothing of it.
 */
final class TestNamespace implements BeforeAllCallback, AfterAllCallback {

  private final String name;
  private LocalCluster cluster;
  private KubernetesClient client;
  private LocalProcesses processes;

  TestNamespace(String name) {
    this.name = name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = SharedCluster.get();
    client = cluster.client();
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
    processes = new LocalProcesses(cluster.kubeconfig(), Path.of("target/it/logs", name));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /**
   * What afterAll does, for a class that must have the namespace gone before its own clean-up ends.
   * Once only.
   */
  void close() {
    if (client == null) {
      return;
    }
    if (processes != null) {
      processes.close();
    }
    client.namespaces().withName(name).delete();
    // its pods stop as pods do (SIGTERM, a release, an exit): wait, so that the next class starts
    // on a clean cluster
    await("namespace " + name + " deleted", Duration.ofSeconds(120))
        .until(() -> client.namespaces().withName(name).get() == null);
    client.close();
    client = null;
  }

  /** The Deployment of that name in this namespace, or null. */
  Deployment deployment(String deployment) {
    return client.apps().deployments().inNamespace(name).withName(deployment).get();
  }

  String name() {
    return name;
  }

  LocalCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  LocalProcesses processes() {
    return processes;
  }
}
