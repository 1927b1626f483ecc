package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.ManualClock;
import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.events.EventRecorder;
import dev.leaderdemo.events.RecordingEventSink;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What one reconcile's observations become: the status patch, the Events and the requeue, without a
 * cluster. The workflow and the caches are JOSDK's, tested on a real API server by the ITs.
 */
class LeaderDemoReconcilerTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final RecordingEventSink sink = new RecordingEventSink();
  private final ManualClock clock = new ManualClock(T0);
  private final LeaderDemoReconciler reconciler =
      new LeaderDemoReconciler(
          new LeaderDemoStatusFactory(clock, "operator-0"),
          new LeaderDemoEvents(
              new EventRecorder(sink, clock, LeaderDemoEvents.COMPONENT, "operator-0")),
          clock,
          ApiServer.forConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()));

  private static LeaderDemo demo() {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(
        new ObjectMetaBuilder()
            .withName("demo")
            .withNamespace("ns")
            .withUid("u-1")
            .withGeneration(1L)
            .build());
    demo.setSpec(new LeaderDemoSpec());
    return demo;
  }

  private static Optional<Lease> lease(String holder, Instant renewed, int transitions) {
    return Optional.of(TestLeases.lease(holder, T0, renewed, 15, transitions));
  }

  private static Optional<Deployment> ready(int pods) {
    return Optional.of(
        new DeploymentBuilder()
            .withNewStatus()
            .withReplicas(pods)
            .withReadyReplicas(pods)
            .endStatus()
            .build());
  }

  /** The LeaderDemo as the next reconcile reads it: with the status the last one wrote. */
  private static LeaderDemo written(LeaderDemo demo, UpdateControl<LeaderDemo> control) {
    assertThat(control.isPatchStatus()).as("a status patch").isTrue();
    LeaderDemo next = demo();
    next.setStatus(control.getResource().orElseThrow().getStatus());
    return next;
  }

  @Test
  void aRenewalGivesNoUpdateAndNoEvent() {
    LeaderDemo demo =
        written(
            demo(), reconciler.report(demo(), lease("pod-a", T0, 0), ready(3), Optional.empty()));
    int events = sink.events().size();

    clock.set(T0.plusSeconds(2));
    UpdateControl<LeaderDemo> control =
        reconciler.report(demo, lease("pod-a", clock.instant(), 0), ready(3), Optional.empty());

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(sink.events()).hasSize(events);
  }

  @Test
  void aChangeOfLeaderGivesExactlyOneEvent() {
    LeaderDemo demo =
        written(
            demo(), reconciler.report(demo(), lease("pod-a", T0, 0), ready(3), Optional.empty()));
    assertThat(sink.events())
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo("pod-a is now the leader"));

    clock.set(T0.plusSeconds(5));
    UpdateControl<LeaderDemo> control =
        reconciler.report(demo, lease("pod-b", clock.instant(), 1), ready(3), Optional.empty());
    LeaderDemo after = written(demo, control);
    assertThat(after.getStatus().getLeader()).isEqualTo("pod-b");
    // the same observations again, as a second event for the same change would bring them
    assertThat(
            reconciler
                .report(after, lease("pod-b", clock.instant(), 1), ready(3), Optional.empty())
                .isNoUpdate())
        .isTrue();

    assertThat(sink.events()).hasSize(2);
    Event second = sink.events().get(1);
    assertThat(second.getReason()).isEqualTo("LeaderElected");
    assertThat(second.getType()).isEqualTo("Normal");
    assertThat(second.getMessage()).isEqualTo("pod-b is now the leader (was pod-a)");
    assertThat(second.getCount()).isEqualTo(1);
  }

  @Test
  void aFailoverSeenIsKeptInTheStatusAndToldInOneEventOnce() {
    LeaderDemo demo =
        written(
            demo(), reconciler.report(demo(), lease("pod-a", T0, 0), ready(3), Optional.empty()));
    Failover seen =
        new Failover("pod-b", "pod-a", "2026-12-01T10:00:05.031000Z", "31ms", "Released");

    clock.set(T0.plusSeconds(5));
    LeaderDemo after =
        written(
            demo,
            reconciler.report(
                demo,
                lease("pod-b", clock.instant(), 1),
                ready(3),
                Optional.empty(),
                List.of(seen)));

    assertThat(after.getStatus().getFailovers()).containsExactly(seen);
    assertThat(sink.events())
        .filteredOn(e -> e.getReason().equals("Failover"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        "pod-b leads after 31ms without a leader: pod-a released the lease"));
    // seen again by the next reconcile: nothing to write, nothing to tell
    assertThat(
            reconciler
                .report(
                    after,
                    lease("pod-b", clock.instant(), 1),
                    ready(3),
                    Optional.empty(),
                    List.of(seen))
                .isNoUpdate())
        .isTrue();
    assertThat(sink.events()).filteredOn(e -> e.getReason().equals("Failover")).hasSize(1);
  }

  @Test
  void aLeaseConflictIsTakenOnceAndRecheckedLater() {
    UpdateControl<LeaderDemo> control =
        reconciler.report(demo(), lease("other-pod", T0, 2), ready(0), Optional.of("first"));
    LeaderDemo demo = written(demo(), control);
    assertThat(control.getScheduleDelay()).isPresent();

    UpdateControl<LeaderDemo> again =
        reconciler.report(demo, lease("other-pod", T0, 2), ready(0), Optional.of("first"));

    assertThat(again.isNoUpdate()).isTrue();
    assertThat(again.getScheduleDelay()).isPresent();
    assertThat(sink.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("LeaseConflict");
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getMessage())
                  .startsWith("lease demo is already used by LeaderDemo first");
            });
  }

  @Test
  void aWriteConflictGivesNoErrorStatusAndNoEvent() {
    ErrorStatusUpdateControl<LeaderDemo> control =
        reconciler.updateErrorStatus(
            demo(),
            null,
            new RuntimeException(
                new KubernetesClientException(
                    "the object has been modified", HttpURLConnection.HTTP_CONFLICT, null)));

    assertThat(control.getResource()).isEmpty();
    assertThat(control.isDefaultErrorProcessing()).isFalse();
    assertThat(sink.events()).isEmpty();
  }

  @Test
  void aRepeatedFailureWritesTheStatusOnceAndCountsTheEvent() {
    Exception refused =
        new KubernetesClientException("roles.rbac.authorization.k8s.io is forbidden", 403, null);
    ErrorStatusUpdateControl<LeaderDemo> first =
        reconciler.updateErrorStatus(demo(), null, refused);
    LeaderDemo demo = demo();
    demo.setStatus(first.getResource().orElseThrow().getStatus());

    clock.set(T0.plusSeconds(2));
    ErrorStatusUpdateControl<LeaderDemo> second = reconciler.updateErrorStatus(demo, null, refused);

    assertThat(second.getResource()).isEmpty();
    assertThat(sink.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getReason()).isEqualTo("ReconcileFailed");
              assertThat(e.getCount()).isEqualTo(2);
            });
  }

  @Test
  void theStatusPatchCarriesOnlyNameNamespaceAndStatus() {
    LeaderDemo demo = demo();
    demo.getMetadata().setResourceVersion("42");
    UpdateControl<LeaderDemo> control =
        reconciler.report(demo, lease("pod-a", T0, 0), ready(3), Optional.empty());

    LeaderDemo patch = control.getResource().orElseThrow();
    assertThat(patch.getSpec()).isNull();
    assertThat(patch.getMetadata().getName()).isEqualTo("demo");
    assertThat(patch.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(patch.getMetadata().getResourceVersion()).isNull();
    assertThat(patch.getStatus().getLeader()).isEqualTo("pod-a");
  }
}
