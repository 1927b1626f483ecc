package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.api.LeaderDemoStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaderDemoStatusFactoryTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00.250Z");

  private static LeaderDemo demo(int replicas) {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(
        new ObjectMetaBuilder().withName("demo").withNamespace("ns").withGeneration(3L).build());
    LeaderDemoSpec spec = new LeaderDemoSpec();
    spec.setReplicas(replicas);
    demo.setSpec(spec);
    return demo;
  }

  private static LeaderDemoStatusFactory at(Instant now) {
    return new LeaderDemoStatusFactory(Clock.fixed(now, ZoneOffset.UTC), "operator-0");
  }

  private static Optional<LeaseObservation> lease(
      String holder, Instant acquired, Instant renewed, int duration, int transitions) {
    return Optional.of(
        LeaseObservation.of(TestLeases.lease(holder, acquired, renewed, duration, transitions)));
  }

  private static Optional<Deployment> deployment(int replicas, int ready) {
    return Optional.of(
        new DeploymentBuilder()
            .withNewStatus()
            .withReplicas(replicas)
            .withReadyReplicas(ready)
            .endStatus()
            .build());
  }

  private static Condition condition(LeaderDemoStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aValidLeaseNamesItsHolder() {
    LeaderDemoStatus status =
        at(T0.plusSeconds(5))
            .status(
                demo(3),
                lease("pod-a", T0.minusSeconds(60), T0.plusSeconds(4), 15, 2),
                deployment(3, 3))
            .orElseThrow();

    assertThat(status.getLeader()).isEqualTo("pod-a");
    assertThat(status.getLeaderSince()).isEqualTo("2026-11-24T09:59:00Z");
    assertThat(status.getLeaseTransitions()).isEqualTo(2);
    assertThat(status.getLastRenewTime()).isEqualTo("2026-11-24T10:00:04Z");
    assertThat(status.getReplicas()).isEqualTo(3);
    assertThat(status.getReadyReplicas()).isEqualTo(3);
    assertThat(status.getOperatorLeader()).isEqualTo("operator-0");
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    Condition elected = condition(status, "LeaderElected");
    assertThat(elected.getStatus()).isEqualTo("True");
    assertThat(elected.getReason()).isEqualTo("LeaseHeld");
    assertThat(elected.getMessage()).isEqualTo("pod-a holds lease demo");
    assertThat(elected.getObservedGeneration()).isEqualTo(3L);
    assertThat(elected.getLastTransitionTime()).isEqualTo("2026-11-24T10:00:05Z");
    Condition ready = condition(status, "Ready");
    assertThat(ready.getStatus()).isEqualTo("True");
    assertThat(ready.getMessage()).isEqualTo("3/3 demo pods ready; pod-a leads");
  }

  @Test
  void anExpiredLeaseHasNoLeader() {
    Instant renewed = T0;
    LeaderDemoStatus status =
        at(renewed.plusSeconds(15))
            .status(demo(3), lease("pod-a", T0.minusSeconds(60), renewed, 15, 2), deployment(3, 3))
            .orElseThrow();

    assertThat(status.getLeader()).isNull();
    assertThat(status.getLeaderSince()).isNull();
    assertThat(status.getLeaseTransitions()).isEqualTo(2);
    Condition elected = condition(status, "LeaderElected");
    assertThat(elected.getStatus()).isEqualTo("False");
    assertThat(elected.getReason()).isEqualTo("LeaseExpired");
    assertThat(elected.getMessage())
        .isEqualTo("lease demo of pod-a expired at 2026-11-24T10:00:15Z");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("NoLeader");
  }

  @Test
  void aLeaseOneMillisecondBeforeExpiryStillHasItsLeader() {
    LeaderDemoStatus status =
        at(T0.plusSeconds(15).minusMillis(1))
            .status(demo(1), lease("pod-a", T0, T0, 15, 0), deployment(1, 1))
            .orElseThrow();
    assertThat(status.getLeader()).isEqualTo("pod-a");
  }

  @Test
  void aReleasedLeaseHasNoLeader() {
    LeaderDemoStatus status =
        at(T0.plusMillis(10))
            .status(demo(3), lease(null, T0, T0, 1, 4), deployment(3, 2))
            .orElseThrow();

    assertThat(status.getLeader()).isNull();
    Condition elected = condition(status, "LeaderElected");
    assertThat(elected.getReason()).isEqualTo("LeaseReleased");
    assertThat(elected.getMessage()).isEqualTo("lease demo was released and nobody holds it");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("PodsNotReady");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("2/3 demo pods ready");
  }

  @Test
  void noLeaseYet() {
    LeaderDemoStatus status =
        at(T0).status(demo(3), Optional.empty(), Optional.empty()).orElseThrow();

    assertThat(status.getLeader()).isNull();
    assertThat(status.getLeaseTransitions()).isNull();
    assertThat(status.getReplicas()).isZero();
    assertThat(condition(status, "LeaderElected").getReason()).isEqualTo("LeaseNotFound");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo("0/3 demo pods ready");
  }

  @Test
  void aRenewalAloneReturnsTheCurrentStatusSoNothingIsWritten() {
    LeaderDemo demo = demo(3);
    demo.setStatus(
        at(T0).status(demo, lease("pod-a", T0, T0, 15, 0), deployment(3, 3)).orElseThrow());

    Optional<LeaderDemoStatus> after =
        at(T0.plusSeconds(2))
            .status(demo, lease("pod-a", T0, T0.plusSeconds(2), 15, 0), deployment(3, 3));

    assertThat(after).isEmpty();
    assertThat(demo.getStatus().getLastRenewTime()).isEqualTo("2026-11-24T10:00:00Z");
  }

  @Test
  void aNewHolderMovesTransitionsSinceAndTheConditionTimeOnlyWhereTheStatusMoved() {
    LeaderDemo demo = demo(3);
    demo.setStatus(
        at(T0).status(demo, lease("pod-a", T0, T0, 15, 0), deployment(3, 3)).orElseThrow());
    Instant later = T0.plusSeconds(30);

    LeaderDemoStatus after =
        at(later).status(demo, lease("pod-b", later, later, 15, 1), deployment(3, 3)).orElseThrow();

    assertThat(after.getLeader()).isEqualTo("pod-b");
    assertThat(after.getLeaderSince()).isEqualTo("2026-11-24T10:00:30Z");
    assertThat(after.getLeaseTransitions()).isEqualTo(1);
    assertThat(after.getLastRenewTime()).isEqualTo("2026-11-24T10:00:30Z");
    // still True: the condition did not transition, only its message changed
    assertThat(condition(after, "LeaderElected").getLastTransitionTime())
        .isEqualTo("2026-11-24T10:00:00Z");
    assertThat(condition(after, "LeaderElected").getMessage()).isEqualTo("pod-b holds lease demo");

    LeaderDemo next = demo(3);
    next.setStatus(after);
    Instant expired = later.plusSeconds(16);
    LeaderDemoStatus gone =
        at(expired)
            .status(next, lease("pod-b", later, later, 15, 1), deployment(3, 3))
            .orElseThrow();
    assertThat(condition(gone, "LeaderElected").getStatus()).isEqualTo("False");
    assertThat(condition(gone, "LeaderElected").getLastTransitionTime())
        .isEqualTo("2026-11-24T10:00:46Z");
  }

  @Test
  void aFailedReconcileKeepsWhatWasKnownAndSaysWhyInReady() {
    LeaderDemo demo = demo(3);
    demo.setStatus(
        at(T0).status(demo, lease("pod-a", T0, T0, 15, 0), deployment(3, 3)).orElseThrow());

    LeaderDemoStatus failed =
        at(T0.plusSeconds(1))
            .errorStatus(
                demo,
                new RuntimeException(
                    new KubernetesClientException("roles.rbac.authorization.k8s.io is forbidden")))
            .orElseThrow();

    assertThat(failed.getLeader()).isEqualTo("pod-a");
    Condition ready = condition(failed, "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
    assertThat(ready.getMessage()).contains("roles.rbac.authorization.k8s.io is forbidden");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-24T10:00:01Z");
    assertThat(condition(failed, "LeaderElected").getStatus()).isEqualTo("True");
  }

  @Test
  void aLeaseClaimedByAnotherLeaderDemoIsAConflictNotALeader() {
    LeaderDemo demo = demo(3);

    LeaderDemoStatus status =
        at(T0)
            .status(demo, lease("other-pod", T0, T0, 15, 2), deployment(0, 0), Optional.of("first"))
            .orElseThrow();

    assertThat(status.getLeader()).isNull();
    assertThat(status.getLeaseTransitions()).isNull();
    for (String type : new String[] {"Ready", "LeaderElected"}) {
      Condition condition = condition(status, type);
      assertThat(condition.getStatus()).isEqualTo("False");
      assertThat(condition.getReason()).isEqualTo("LeaseConflict");
      assertThat(condition.getMessage())
          .startsWith("lease demo is already used by LeaderDemo first");
    }
  }

  @Test
  void anUnusableSpecSaysWhichFieldAndKeepsWhatWasKnown() {
    LeaderDemo demo = demo(3);
    demo.setStatus(
        at(T0).status(demo, lease("pod-a", T0, T0, 15, 0), deployment(3, 3)).orElseThrow());

    LeaderDemoStatus status =
        at(T0.plusSeconds(1))
            .invalidSpec(demo, "spec.replicas: \"three\" is not an integer")
            .orElseThrow();

    assertThat(status.getLeader()).isEqualTo("pod-a");
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    Condition ready = condition(status, "Ready");
    assertThat(ready.getReason()).isEqualTo("InvalidSpec");
    assertThat(ready.getMessage())
        .isEqualTo(
            "the spec cannot be used, so nothing was changed: spec.replicas: \"three\" is not an"
                + " integer");
  }

  @Test
  void failoversSeenJoinThoseKeptNewestFirstEachOnceAtMostFive() {
    List<Failover> kept = new java.util.ArrayList<>();
    for (int i = 4; i >= 1; i--) {
      kept.add(
          new Failover(
              "p" + i, "p" + (i - 1), "2026-12-01T10:00:0" + i + ".000000Z", "1s", "Expired"));
    }
    Failover newer = new Failover("p6", "p5", "2026-12-01T10:00:06.000000Z", "9ms", "Released");
    Failover alsoKept = kept.get(0);

    List<Failover> merged = LeaderDemoStatusFactory.failovers(kept, List.of(newer, alsoKept));

    assertThat(merged)
        .extracting(Failover::getLeader)
        .containsExactly("p6", "p4", "p3", "p2", "p1");
    assertThat(LeaderDemoStatusFactory.failovers(null, List.of())).isNull();
    assertThat(
            LeaderDemoStatusFactory.failovers(
                List.of(newer, kept.get(0), kept.get(1), kept.get(2), kept.get(3)),
                List.of(new Failover("p7", "p6", "2026-12-01T10:00:07.000000Z", "1s", "Expired"))))
        .hasSize(LeaderDemoStatus.FAILOVERS_KEPT)
        .first()
        .extracting(Failover::getLeader)
        .isEqualTo("p7");
  }
}
