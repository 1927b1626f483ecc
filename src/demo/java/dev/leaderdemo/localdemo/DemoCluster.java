package dev.leaderdemo.localdemo;

import static dev.leaderdemo.localdemo.LocalDemo.NAME;
import static dev.leaderdemo.localdemo.LocalDemo.NAMESPACE;
import static dev.leaderdemo.localdemo.LocalDemo.OPERATOR_NAMESPACE;
import static dev.leaderdemo.localdemo.LocalDemo.say;

import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.testkit.LocalCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's cluster from start to end: up (or the one already up, with {@code
 * --existing-cluster}), the project's image on its node, `make deploy`, the sample; at the end the
 * whole cluster taken down, or on an existing one only what the demo applied.
 */
final class DemoCluster {

  private final Path workDir = LocalCluster.projectDir().resolve("target/demo");
  private final boolean existing;
  private LocalCluster cluster;
  private KubernetesClient client;

  DemoCluster(boolean existing) {
    this.existing = existing;
  }

  /** The cluster, the image on its node, and the operator (`make deploy`). */
  void up() throws IOException {
    Files.createDirectories(workDir);
    if (existing) {
      cluster = LocalCluster.existing(workDir);
    } else {
      say(
          "Starting a local cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler,"
              + " and a node (containerd, kubelet, kube-proxy) ...");
      cluster = LocalCluster.start(workDir);
    }
    client = cluster.client();
    say(
        "Building the image "
            + LocalCluster.IMAGE
            + " from the Dockerfile and loading it onto the node ...");
    cluster.loadProjectImage();
    say(
        "make deploy IMG="
            + LocalCluster.IMAGE
            + " (the CRD, RBAC, two operator pods in "
            + OPERATOR_NAMESPACE
            + ") ...");
    cluster.make("deploy", "IMG=" + LocalCluster.IMAGE);
  }

  /** `kubectl apply -f samples/leaderdemo.yaml`, then how to look from another terminal. */
  void applySample() {
    say("kubectl apply -f samples/leaderdemo.yaml ...");
    cluster
        .kubectl("apply", "-n", NAMESPACE, "-f", LocalCluster.sample().toString())
        .assertSuccess();
    say(
        "Up. From another terminal:\n  export KUBECONFIG="
            + cluster.kubeconfig()
            + "\n  kubectl get pods -w\n  kubectl logs -f deployment/"
            + NAME
            + "\n  kubectl get leaderdemo -w");
  }

  LocalCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  /**
   * Takes down what this demo started: the whole cluster, or on an existing one what it applied.
   */
  void tearDown() {
    if (cluster == null) {
      return;
    }
    if (existing) {
      say("Removing the sample and the operator from the cluster ...");
      cluster.kubectl(
          "delete",
          "--ignore-not-found",
          "--wait=true",
          "-n",
          NAMESPACE,
          "-f",
          LocalCluster.sample().toString());
      try {
        cluster.undeploy();
      } catch (RuntimeException | AssertionError e) {
        // the demo pods are still to be waited for
        say("make undeploy did not finish: " + e.getMessage());
      }
      cluster.kubectl(
          "wait",
          "--for=delete",
          "pod",
          "-l",
          DemoLabels.INSTANCE + "=" + NAME,
          "-n",
          NAMESPACE,
          "--timeout=120s");
    } else {
      say("Taking the local cluster down ...");
      cluster.close();
    }
    if (client != null) {
      client.close();
    }
    say("Stopped; cluster logs in " + LocalCluster.logDir());
  }
}
