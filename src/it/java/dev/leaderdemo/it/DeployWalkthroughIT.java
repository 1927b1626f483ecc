package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalCluster.Follow;
import dev.leaderdemo.testkit.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Everything as pods on the real local node: `make deploy IMG=` the image built from the Dockerfile
 * (two operator pods), then the original client-go demo's walk-through, typed as a user types it,
 * against samples/leaderdemo.yaml in a namespace that enforces the restricted Pod Security
 * Standard. Default timings (15/10/2), as users get.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployWalkthroughIT {

  private static final String NS = "walkthrough-it";
  private static final String SYSTEM_NS = "leaderdemo-system";
  private static final String NAME = "leader-election-demo";
  private static final String OPERATOR_LEASE = OperatorConfig.DEFAULT_LEASE_NAME;
  private static final int LEASE_SECONDS = 15;

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  /** kubectl as the user types it: the kubeconfig's current namespace is the test's. */
  private static LocalCluster user;

  @BeforeAll
  static void deploy() {
    user = namespace.cluster().inNamespace(NS);
    namespace.cluster().make("deploy", "IMG=" + LocalCluster.IMAGE);
  }

  @AfterAll
  static void undeploy() {
    user.kubectl("delete", "--ignore-not-found", "-f", sample());
    namespace.cluster().undeploy();
    // then TestNamespace deletes the namespace and waits: the next class starts on a cluster
    // without these pods
  }

  @Test
  @Order(1)
  void makeDeployRunsTwoReadyOperatorPodsOfWhichOneHoldsTheLease() {
    await("2 Running and Ready operator pods", Duration.ofSeconds(180))
        .until(
            () ->
                operatorPods().stream().filter(DeployWalkthroughIT::runningAndReady).count() == 2);
    assertThat(namespace.client().namespaces().withName(SYSTEM_NS).get().getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    List<String> names = operatorPods().stream().map(p -> p.getMetadata().getName()).toList();
    String holder =
        await("the operator lease held", Duration.ofSeconds(60))
            .until(
                () -> operatorLease() == null ? null : operatorLease().getHolderIdentity(),
                Objects::nonNull);
    assertThat(names).contains(holder);
    for (Pod pod : operatorPods()) {
      assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo(LocalCluster.IMAGE);
      // the image's numeric USER satisfies runAsNonRoot; the restricted profile admitted the pod
      assertThat(
              namespace
                  .cluster()
                  .kubectl("exec", "-n", SYSTEM_NS, pod.getMetadata().getName(), "--", "id", "-u")
                  .assertSuccess()
                  .stdout()
                  .strip())
          .isEqualTo("10001");
    }
  }

  @Test
  @Order(2)
  void kubectlGetPodsWatchShowsThreeRunningAndReadyDemoPods() {
    user.kubectl("apply", "-f", sample()).assertSuccess();
    try (Follow watch = user.kubectlFollow("get", "pods", "-w")) {
      await("3 demo pods 1/1 Running in `kubectl get pods -w`", Duration.ofSeconds(180))
          .until(() -> runningAndReadyInWatch(watch.output()).size() == 3);
    }
    String operatorLeader =
        await("the status signed by the operator leader", Duration.ofSeconds(60))
            .until(() -> status() == null ? null : status().getOperatorLeader(), Objects::nonNull);
    assertThat(operatorLeader).isEqualTo(operatorLease().getHolderIdentity());
  }

  @Test
  @Order(3)
  void kubectlLogsFollowShowsTheElection() {
    String leader =
        await("a leader in the status", Duration.ofSeconds(60))
            .until(() -> status().getLeader(), Objects::nonNull);
    try (Follow logs = user.kubectlFollow("logs", "-f", "deployment/" + NAME)) {
      await("the election in `kubectl logs -f deployment/" + NAME + "`", Duration.ofSeconds(60))
          .until(
              () ->
                  logs.output().contains("joins the election for lease " + NS + "/" + NAME)
                      && logs.output().contains("new leader is " + leader));
    }
  }

  @Test
  @Order(4)
  void theLeaseAgreesWithTheStatus() {
    await("READY 3 in kubectl get leaderdemo", Duration.ofSeconds(120))
        .until(() -> column("READY").equals("3"));
    Lease lease =
        Serialization.unmarshal(
            user.kubectl("get", "lease", NAME, "-o", "yaml").assertSuccess().stdout(), Lease.class);
    LeaderDemoStatus status = status();
    assertThat(lease.getSpec().getHolderIdentity())
        .isEqualTo(status.getLeader())
        .isEqualTo(column("LEADER"));
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(status.getLeaseTransitions());
    assertThat(lease.getSpec().getAcquireTime().toInstant().toString().substring(0, 19))
        .isEqualTo(status.getLeaderSince().substring(0, 19));
    assertThat(column("OPERATOR")).isEqualTo(operatorLease().getHolderIdentity());
  }

  @Test
  @Order(5)
  void kubectlDeletePodOfTheLeaderGivesANewLeaderAndReadyThree() {
    String leader = column("LEADER");
    user.kubectl("delete", "pod", leader).assertSuccess();
    String next =
        await("a new leader in kubectl get leaderdemo", Duration.ofSeconds(60))
            .until(() -> column("LEADER"), l -> !l.isEmpty() && !l.equals(leader));
    assertThat(demoPods())
        .as("the demo pods")
        .extracting(p -> p.getMetadata().getName())
        .contains(next)
        .doesNotContain(leader);
    assertThat(
            user.kubectl("get", "lease", NAME, "-o", "jsonpath={.spec.holderIdentity}")
                .assertSuccess()
                .stdout())
        .as("the Lease's holder")
        .isEqualTo(next);
    // 3 again only with the replacement: kubectl delete waited until the deleted pod was gone
    await("READY 3 again, with the replacement pod", Duration.ofSeconds(120))
        .until(
            () ->
                column("READY").equals("3")
                    && demoPods().stream().filter(DeployWalkthroughIT::runningAndReady).count()
                        == 3);
  }

  @Test
  @Order(6)
  void deletingTheOperatorLeaderPodHandsOverBeforeTheLeaseExpires() {
    Takeover takeover =
        takeOver(
            holder ->
                namespace
                    .cluster()
                    .kubectl("delete", "pod", "-n", SYSTEM_NS, holder, "--wait=false")
                    .assertSuccess());
    // released on SIGTERM: the standby did not wait for the lease to run out
    assertThat(takeover.acquired())
        .as("acquired by %s; the Lease as seen: %s", takeover.newHolder(), takeover.history())
        .isBefore(takeover.lastRenewal().plusSeconds(LEASE_SECONDS));
    awaitOperatorColumn(takeover.newHolder());
  }

  /**
   * --grace-period=0 --force removes the pod object at once, but the kubelet still stops the
   * container with SIGTERM first, so the leader tries to release as in a graceful delete. Whether
   * the API server still takes the request is not the leader's to decide: a bound service account
   * token is no longer valid once its pod object is gone, and the API server only goes on accepting
   * it while its last check of that token is cached (about 10 s). So the release either lands, and
   * the standby takes over at once, or it is refused as Unauthorized, and the standby takes over
   * when the lease expires, never sooner. Either way the old leader's log says which.
   */
  @Test
  @Order(7)
  void aForcedDeleteReleasesOnSigtermUnlessThePodsTokenIsAlreadyRefused() {
    awaitTwoReadyOperators();
    String[] lastWords = {""};
    Takeover takeover =
        takeOver(
            holder -> {
              // the pod's log goes with the pod: follow it, to tell what the leader did in its 2 s
              try (var log =
                  namespace.cluster().kubectlFollow("logs", "-f", "-n", SYSTEM_NS, holder)) {
                await("its log followed", Duration.ofSeconds(30))
                    .until(() -> log.output().contains(holder));
                namespace
                    .cluster()
                    .kubectl(
                        "delete", "pod", "-n", SYSTEM_NS, holder, "--grace-period=0", "--force")
                    .assertSuccess();
                await("its log ended", Duration.ofSeconds(30))
                    .until(() -> log.output().contains(holder + " stopped"));
                lastWords[0] = log.output();
                lastWords[0]
                    .lines()
                    .filter(l -> l.contains("Shutting down") || l.contains("release"))
                    .forEach(l -> System.out.println("forced delete, the old leader: " + l));
              } catch (org.awaitility.core.ConditionTimeoutException e) {
                lastWords[0] = "(its log did not say it stopped)";
              }
            });
    boolean released = lastWords[0].contains(takeover.oldHolder() + " released lease");
    boolean refused =
        lastWords[0]
            .lines()
            .anyMatch(l -> l.contains("release lease") && l.contains("Unauthorized"));
    assertThat(released || refused)
        .as("the old leader's log tells a release or its refusal: %s", lastWords[0])
        .isTrue();
    if (released) {
      assertThat(takeover.acquired())
          .as(
              "acquired by %s; the Lease as seen: %s; the old leader's log: %s",
              takeover.newHolder(), takeover.history(), lastWords[0])
          .isBefore(takeover.lastRenewal().plusSeconds(LEASE_SECONDS));
    } else {
      ItSupport.assertTakenOnlyAfterExpiry(
          takeover.lastOfOld(), takeover.seen(), takeover.taken(), LEASE_SECONDS);
    }
    awaitOperatorColumn(takeover.newHolder());
  }

  @Test
  @Order(8)
  void aHungOperatorLeaderIsReplacedOnlyOnceItsLeaseExpiresAndRestartsAsStandby() {
    awaitTwoReadyOperators();
    AtomicReference<String> hung = new AtomicReference<>();
    AtomicReference<Integer> restartsBefore = new AtomicReference<>();
    Takeover takeover =
        takeOver(
            holder -> {
              hung.set(holder);
              restartsBefore.set(restarts(holder));
              namespace.cluster().signal("STOP", SYSTEM_NS, holder);
            });
    ItSupport.assertTakenOnlyAfterExpiry(
        takeover.lastOfOld(), takeover.seen(), takeover.taken(), LEASE_SECONDS);
    // woken at once: its liveness probe (3 failures 10 s apart) must not be what ends it
    namespace.cluster().signal("CONT", SYSTEM_NS, hung.get());
    awaitOperatorColumn(takeover.newHolder());
    // it finds it lost the lease, exits, and the kubelet restarts it as a standby
    await("the woken leader restarted by the kubelet and Ready", Duration.ofSeconds(120))
        .until(
            () ->
                restarts(hung.get()) > restartsBefore.get()
                    && runningAndReady(operatorPod(hung.get())));
    // its own exit, not the kubelet's kill after failed liveness probes while it hung
    var ended =
        operatorPod(hung.get())
            .getStatus()
            .getContainerStatuses()
            .get(0)
            .getLastState()
            .getTerminated();
    assertThat(ended).as("how its previous container ended").isNotNull();
    assertThat(ended.getExitCode()).as("its previous container's exit code").isEqualTo(1);
    assertThat(
            namespace
                .cluster()
                .kubectl("logs", "-n", SYSTEM_NS, hung.get(), "--previous")
                .assertSuccess()
                .stdout())
        .contains(hung.get() + " lost the operator lease");
    assertThat(operatorLease().getHolderIdentity()).isEqualTo(takeover.newHolder());
    assertThat(status().getOperatorLeader()).isEqualTo(takeover.newHolder());
  }

  /**
   * The operator lease's holder before, its last renewal as a watcher saw it, and the new holder's
   * acquisition.
   */
  /**
   * @param seen when the test first saw the new holder in the Lease
   */
  /**
   * {@code history}: every distinct Lease record the test saw on the way, for a failure's message.
   */
  private record Takeover(
      String oldHolder, LeaseSpec lastOfOld, LeaseSpec taken, Instant seen, List<String> history) {
    ZonedDateTime lastRenewal() {
      return lastOfOld.getRenewTime();
    }

    String newHolder() {
      return taken.getHolderIdentity();
    }

    ZonedDateTime acquired() {
      return taken.getAcquireTime();
    }
  }

  private static Takeover takeOver(java.util.function.Consumer<String> action) {
    String holder = operatorLease().getHolderIdentity();
    AtomicReference<LeaseSpec> lastOfOld = new AtomicReference<>(operatorLease());
    List<String> history = new java.util.ArrayList<>();
    action.accept(holder);
    LeaseSpec taken =
        await("another operator pod holding the lease", Duration.ofSeconds(90))
            .until(
                () -> {
                  LeaseSpec now = operatorLease();
                  String record =
                      now.getHolderIdentity()
                          + " renewed "
                          + now.getRenewTime()
                          + " for "
                          + now.getLeaseDurationSeconds()
                          + "s";
                  if (history.isEmpty() || !history.get(history.size() - 1).endsWith(record)) {
                    history.add(Instant.now() + ": " + record);
                  }
                  if (holder.equals(now.getHolderIdentity())) {
                    lastOfOld.set(now);
                  }
                  return now;
                },
                now ->
                    now.getHolderIdentity() != null
                        && !now.getHolderIdentity().isEmpty()
                        && !holder.equals(now.getHolderIdentity()));
    Instant seen = Instant.now();
    assertThat(operatorPods())
        .extracting(p -> p.getMetadata().getName())
        .contains(taken.getHolderIdentity());
    return new Takeover(holder, lastOfOld.get(), taken, seen, history);
  }

  /**
   * What a user sees of a takeover: the OPERATOR column of kubectl get leaderdemo signed by the new
   * leader.
   */
  private static void awaitOperatorColumn(String leader) {
    await("OPERATOR " + leader + " in kubectl get leaderdemo", Duration.ofSeconds(60))
        .until(() -> leader.equals(column("OPERATOR")));
  }

  private static void awaitTwoReadyOperators() {
    await("2 Running and Ready operator pods", Duration.ofSeconds(180))
        .until(
            () ->
                operatorPods().stream().filter(DeployWalkthroughIT::runningAndReady).count() == 2);
  }

  private static Pod operatorPod(String name) {
    return namespace.client().pods().inNamespace(SYSTEM_NS).withName(name).get();
  }

  private static int restarts(String operatorPod) {
    return Pods.restarts(operatorPod(operatorPod));
  }

  private static List<Pod> demoPods() {
    return ItSupport.livePods(namespace.client(), NS, NAME);
  }

  private static LeaseSpec operatorLease() {
    Lease lease = namespace.client().leases().inNamespace(SYSTEM_NS).withName(OPERATOR_LEASE).get();
    return lease == null ? null : lease.getSpec();
  }

  private static List<Pod> operatorPods() {
    return Pods.live(namespace.client(), SYSTEM_NS, DemoLabels.NAME, DemoLabels.OPERATOR);
  }

  private static boolean runningAndReady(Pod pod) {
    return "Running".equals(pod.getStatus().getPhase()) && Pods.isReady(pod);
  }

  /** The demo pods whose latest line in `kubectl get pods -w` reads 1/1 Running. */
  private static List<String> runningAndReadyInWatch(String output) {
    Map<String, String[]> latest = new HashMap<>();
    output
        .lines()
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length >= 3 && f[0].startsWith(NAME + "-"))
        .forEach(f -> latest.put(f[0], f));
    return latest.values().stream()
        .filter(f -> f[1].equals("1/1") && f[2].equals("Running"))
        .map(f -> f[0])
        .toList();
  }

  /**
   * A column of `kubectl get leaderdemo`, as the user reads it (by position: an empty cell prints
   * as spaces).
   */
  private static String column(String name) {
    List<String> lines =
        user.kubectl("get", "leaderdemo").assertSuccess().stdout().lines().toList();
    String header = lines.get(0);
    String row = lines.get(1) + " ".repeat(header.length());
    int start = header.indexOf(name);
    int next = header.indexOf(' ', start);
    while (next >= 0 && next < header.length() && header.charAt(next) == ' ') {
      next++;
    }
    int end = next < 0 || next >= header.length() ? row.length() : next;
    return row.substring(start, end).trim();
  }

  private static LeaderDemoStatus status() {
    return ItSupport.status(namespace.client(), NS, NAME);
  }

  private static String sample() {
    return LocalCluster.sample().toString();
  }
}
