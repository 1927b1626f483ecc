package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.dependent.DemoDeploymentDependentResource;
import dev.leaderdemo.dependent.DemoRoleBindingDependentResource;
import dev.leaderdemo.dependent.DemoRoleDependentResource;
import dev.leaderdemo.dependent.DemoServiceAccountDependentResource;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a LeaderDemo into its ServiceAccount, Role, RoleBinding and Deployment (the managed workflow, applied
 * server-side), then reports who holds the demo Lease. Only the operator replica holding the operator's lease
 * runs this.
 */
@ControllerConfiguration(name = LeaderDemoReconciler.NAME)
@Workflow(dependents = {
    @Dependent(name = "serviceaccount", type = DemoServiceAccountDependentResource.class),
    @Dependent(name = "role", type = DemoRoleDependentResource.class),
    @Dependent(name = "rolebinding", type = DemoRoleBindingDependentResource.class,
        dependsOn = {"serviceaccount", "role"}),
    @Dependent(name = "deployment", type = DemoDeploymentDependentResource.class, dependsOn = "rolebinding")
})
public class LeaderDemoReconciler implements Reconciler<LeaderDemo> {

  public static final String NAME = "leaderdemo";
  private static final Logger log = LoggerFactory.getLogger(LeaderDemoReconciler.class);

  private final LeaderDemoStatusFactory statusFactory;
  private final LeaderDemoEvents events;
  private final Clock clock;

  public LeaderDemoReconciler(LeaderDemoStatusFactory statusFactory, LeaderDemoEvents events, Clock clock) {
    this.statusFactory = statusFactory;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, LeaderDemo>> prepareEventSources(EventSourceContext<LeaderDemo> context) {
    return List.of(DemoLeaseEventSource.create(context, clock));
  }

  @Override
  public UpdateControl<LeaderDemo> reconcile(LeaderDemo demo, Context<LeaderDemo> context) {
    Optional<LeaseObservation> lease = context.getSecondaryResource(Lease.class, DemoLeaseEventSource.NAME)
        .map(LeaseObservation::of);
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    LeaderDemoStatus previous = demo.getStatus();
    LeaderDemoStatus status = statusFactory.status(demo, lease, deployment);

    UpdateControl<LeaderDemo> control;
    if (status == previous) {
      control = UpdateControl.noUpdate();
    } else {
      String was = previous == null ? null : previous.getLeader();
      if (!Objects.equals(was, status.getLeader())) {
        log.info("Leader of lease changed from {} to {}", was, status.getLeader());
        events.leaderChanged(demo, was, status.getLeader());
      }
      log.info("Writing status: leader={} transitions={} ready={}/{} operatorLeader={}", status.getLeader(),
          status.getLeaseTransitions(), status.getReadyReplicas(), demo.getSpec().getReplicas(),
          status.getOperatorLeader());
      demo.setStatus(status);
      control = UpdateControl.patchStatus(demo);
    }
    return control;
  }

  @Override
  public ErrorStatusUpdateControl<LeaderDemo> updateErrorStatus(LeaderDemo demo, Context<LeaderDemo> context,
      Exception error) {
    if (isConflict(error)) {
      // somebody wrote the LeaderDemo since it was read; the retry that follows reads it again
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    LeaderDemoStatus status = statusFactory.errorStatus(demo, error);
    String message = status.getConditions().stream()
        .filter(c -> LeaderDemoStatusFactory.READY.equals(c.getType()))
        .map(Condition::getMessage).findFirst().orElse(String.valueOf(error));
    log.warn("Reconcile failed: {}", message);
    events.reconcileFailed(demo, message);
    demo.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(demo);
  }

  private static boolean isConflict(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException e && e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return true;
      }
    }
    return false;
  }
}
