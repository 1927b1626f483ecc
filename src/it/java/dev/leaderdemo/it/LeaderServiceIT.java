package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.testkit.LeaderDemoYaml;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leader Service on the real node: its one endpoint is the pod that holds the Lease, requests
 * to its ClusterIP (from this machine, through kube-proxy's rules, as from any pod) are answered by
 * that pod's /leader, and the label it selects moves with the lease: on a deleted leader's pod to
 * the next leader, and off a hung leader once its lease has expired.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeaderServiceIT {

  private static final String NS = "leader-service-it";
  private static final String NAME = "svc";
  private static final String SERVICE = NAME + "-leader";
  private static final int LEASE = 8;
  private static final int RENEW = 5;
  private static final int RETRY = 1;

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  @BeforeAll
  static void start() {
    namespace.processes().operator("operator-service", NS, ItSupport.OPERATOR_TIMINGS);
    namespace
        .cluster()
        .apply(NS, LeaderDemoYaml.named(NAME).replicas(3).timings(LEASE, RENEW, RETRY).yaml())
        .assertSuccess();
  }

  @Test
  @Order(1)
  void theServicesOneEndpointIsTheLeaderAndItsClusterIpAnswersFromTheLeader() {
    String leader = awaitThreeReadyAndALeader();
    Service service =
        await("the leader Service with a ClusterIP", Duration.ofSeconds(60))
            .until(
                () -> namespace.client().services().inNamespace(NS).withName(SERVICE).get(),
                s -> s != null && s.getSpec().getClusterIP() != null);
    assertThat(service.getSpec().getSelector())
        .containsEntry(DemoLabels.LEADER, DemoLabels.LEADER_VALUE)
        .containsEntry(DemoLabels.INSTANCE, NAME);
    Pod leaderPod = namespace.client().pods().inNamespace(NS).withName(leader).get();

    await("the Service's endpoints: the leader's pod alone", Duration.ofSeconds(60))
        .until(() -> endpointIps().equals(List.of(leaderPod.getStatus().getPodIP())));
    assertThat(labelledPods()).containsExactly(leader);
    await("the ClusterIP answering from " + leader, Duration.ofSeconds(60))
        .until(() -> Objects.equals(answeringPod(), leader));
    assertThat(get("/leader")).contains("\"isLeader\":true");
  }

  @Test
  @Order(2)
  void afterTheLeadersPodIsDeletedTheClusterIpAnswersFromTheNewLeader() {
    String leader = awaitThreeReadyAndALeader();
    namespace.cluster().kubectl("delete", "pod", leader, "-n", NS, "--wait=false").assertSuccess();
    String next =
        await("a new leader in the status", Duration.ofSeconds(30))
            .until(() -> status().getLeader(), l -> l != null && !l.equals(leader));
    long named = System.nanoTime();
    await("the ClusterIP answering from " + next, Duration.ofSeconds(30))
        .until(() -> Objects.equals(answeringPod(), next));
    System.out.printf(
        "leader Service: answered by %s %d ms after the status named it%n",
        next, (System.nanoTime() - named) / 1_000_000);
    await("the label on " + next + " only", Duration.ofSeconds(30))
        .until(() -> labelledPods().equals(List.of(next)));
  }

  @Test
  @Order(3)
  void aHungLeaderLosesTheLabelOnceItsLeaseHasExpired() {
    String leader = awaitThreeReadyAndALeader();
    namespace.cluster().signal("STOP", NS, leader);
    try {
      String next =
          await("a leader after the hung one's lease expired", Duration.ofSeconds(60))
              .until(() -> status().getLeader(), l -> l != null && !l.equals(leader));
      await("the label on " + next + " only", Duration.ofSeconds(30))
          .until(() -> labelledPods().equals(List.of(next)));
      await("the ClusterIP answering from " + next, Duration.ofSeconds(30))
          .until(() -> Objects.equals(answeringPod(), next));
    } finally {
      namespace.cluster().signal("CONT", NS, leader);
    }
  }

  private static String awaitThreeReadyAndALeader() {
    await("3 ready demo pods", Duration.ofSeconds(180))
        .until(() -> ItSupport.readyPods(namespace.client(), NS, NAME) == 3);
    return await("a leader in the status", Duration.ofSeconds(60))
        .until(() -> status().getLeader(), Objects::nonNull);
  }

  private static LeaderDemoStatus status() {
    LeaderDemoStatus status = ItSupport.status(namespace.client(), NS, NAME);
    return status == null ? new LeaderDemoStatus() : status;
  }

  private static List<String> labelledPods() {
    return namespace
        .client()
        .pods()
        .inNamespace(NS)
        .withLabel(DemoLabels.LEADER, DemoLabels.LEADER_VALUE)
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  /** The addresses of the Service's ready endpoints, as kube-proxy programs them. */
  private static List<String> endpointIps() {
    return namespace
        .client()
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace(NS)
        .withLabel("kubernetes.io/service-name", SERVICE)
        .list()
        .getItems()
        .stream()
        .map(EndpointSlice::getEndpoints)
        .filter(Objects::nonNull)
        .flatMap(List::stream)
        .filter(
            e -> e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady()))
        .map(Endpoint::getAddresses)
        .flatMap(List::stream)
        .sorted()
        .toList();
  }

  /** The identity in the answer of the Service's ClusterIP to /leader; null when none came. */
  private static String answeringPod() {
    String body = get("/leader");
    if (body == null) {
      return null;
    }
    int start = body.indexOf("\"identity\":\"");
    if (start < 0) {
      return null;
    }
    start += "\"identity\":\"".length();
    return body.substring(start, body.indexOf('"', start));
  }

  /** One request on a new connection, so that each goes wherever kube-proxy sends it now. */
  private static String get(String path) {
    String ip =
        namespace
            .client()
            .services()
            .inNamespace(NS)
            .withName(SERVICE)
            .get()
            .getSpec()
            .getClusterIP();
    try {
      HttpURLConnection http =
          (HttpURLConnection) URI.create("http://" + ip + ":8080" + path).toURL().openConnection();
      http.setConnectTimeout(2000);
      http.setReadTimeout(2000);
      http.setRequestProperty("Connection", "close");
      try (InputStream in = http.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        http.disconnect();
      }
    } catch (IOException e) {
      return null;
    }
  }
}
