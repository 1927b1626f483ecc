package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.dependent.AppliedFieldsItemStore;
import dev.leaderdemo.dependent.DemoDeploymentDependentResource;
import dev.leaderdemo.dependent.DemoLeaderServiceDependentResource;
import dev.leaderdemo.dependent.DemoRoleBindingDependentResource;
import dev.leaderdemo.dependent.DemoRoleDependentResource;
import dev.leaderdemo.dependent.DemoServiceAccountDependentResource;
import dev.leaderdemo.dependent.LeaseClaimedPrecondition;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
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
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a LeaderDemo into its ServiceAccount, Role, RoleBinding and Deployment (the managed
 * workflow, applied server-side), then reports who holds the demo Lease. Only the operator replica
 * holding the operator's lease runs this.
 *
 * <p>The workflow runs only for a spec the operator can read: one that an older or laxer CRD let
 * through gets a status and an Event saying which field is wrong, and its objects are left as they
 * are. A LeaderDemo whose Lease name another one in the namespace claimed first runs no Deployment
 * until the conflict is gone.
 */
@ControllerConfiguration(
    name = LeaderDemoReconciler.NAME,
    informer = @Informer(itemStore = AppliedFieldsItemStore.class))
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "serviceaccount", type = DemoServiceAccountDependentResource.class),
      @Dependent(name = "role", type = DemoRoleDependentResource.class),
      @Dependent(
          name = "rolebinding",
          type = DemoRoleBindingDependentResource.class,
          dependsOn = {"serviceaccount", "role"}),
      @Dependent(name = "leader-service", type = DemoLeaderServiceDependentResource.class),
      @Dependent(
          name = "deployment",
          type = DemoDeploymentDependentResource.class,
          dependsOn = "rolebinding",
          reconcilePrecondition = LeaseClaimedPrecondition.class)
    })
public class LeaderDemoReconciler implements Reconciler<LeaderDemo> {

  public static final String NAME = "leaderdemo";
  private static final Duration CONFLICT_RECHECK = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(LeaderDemoReconciler.class);

  private final LeaderDemoStatusFactory statusFactory;
  private final LeaderDemoEvents events;
  private final Clock clock;
  private final ApiServer api;
  private volatile DemoLeaseEventSource leases;

  /**
   * @param api where the demo Leases are watched from
   */
  public LeaderDemoReconciler(
      LeaderDemoStatusFactory statusFactory, LeaderDemoEvents events, Clock clock, ApiServer api) {
    this.statusFactory = statusFactory;
    this.events = events;
    this.clock = clock;
    this.api = api;
  }

  @Override
  public List<EventSource<?, LeaderDemo>> prepareEventSources(
      EventSourceContext<LeaderDemo> context) {
    context
        .getPrimaryCache()
        .addIndexer(LeaseClaims.INDEX, demo -> List.of(LeaseClaims.indexKey(demo)));
    leases =
        new DemoLeaseEventSource(
            api, leaseKey -> context.getPrimaryCache().byIndex(LeaseClaims.INDEX, leaseKey), clock);
    return List.of(leases);
  }

  @Override
  public UpdateControl<LeaderDemo> reconcile(LeaderDemo demo, Context<LeaderDemo> context) {
    Optional<String> problem = demo.specProblem();
    if (problem.isPresent()) {
      return invalidSpec(demo, problem.get());
    }
    Optional<Lease> lease = context.getSecondaryResource(Lease.class, DemoLeaseEventSource.NAME);
    Optional<String> claimedBy =
        LeaseClaims.claimedByAnother(
            demo,
            lease,
            context.getPrimaryCache().byIndex(LeaseClaims.INDEX, LeaseClaims.indexKey(demo)));
    LeaseClaimedPrecondition.record(context, claimedBy);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    if (claimedBy.isEmpty()) {
      lease.ifPresent(l -> LeaseAdoption.adoptIfLabelledForAnother(context.getClient(), demo, l));
      String leader =
          lease.flatMap(l -> LeaseObservation.of(l).leaderAt(clock.instant())).orElse(null);
      // the label moves when the leader does; a status written for any other reason leaves it
      if (demo.getStatus() == null || !Objects.equals(demo.getStatus().getLeader(), leader)) {
        LeaderPodLabel.moveTo(context.getClient(), demo, leader);
      }
    }
    return report(
        demo,
        lease,
        context.getSecondaryResource(Deployment.class),
        claimedBy,
        leases == null ? List.of() : leases.failovers(demo));
  }

  /**
   * What the observations mean for the status and the Events: a status patch only when the status
   * moved, one Event per change worth telling.
   */
  UpdateControl<LeaderDemo> report(
      LeaderDemo demo,
      Optional<Lease> lease,
      Optional<Deployment> deployment,
      Optional<String> claimedBy) {
    return report(demo, lease, deployment, claimedBy, List.of());
  }

  /** As {@link #report}, with the changes of leader seen in the Lease, newest first. */
  UpdateControl<LeaderDemo> report(
      LeaderDemo demo,
      Optional<Lease> lease,
      Optional<Deployment> deployment,
      Optional<String> claimedBy,
      List<Failover> failovers) {
    LeaderDemoStatus previous = demo.getStatus();
    Optional<LeaderDemoStatus> update =
        statusFactory.status(
            demo, lease.map(LeaseObservation::of), deployment, claimedBy, failovers);
    UpdateControl<LeaderDemo> control =
        update
            .map(status -> UpdateControl.patchStatus(statusPatch(demo, status)))
            .orElseGet(UpdateControl::noUpdate);
    if (claimedBy.isPresent()) {
      // the claimant may name another Lease or go before its Lease exists, which no event of this
      // one shows
      control.rescheduleAfter(CONFLICT_RECHECK);
    }
    update.ifPresent(status -> tell(demo, previous, status, claimedBy.isPresent()));
    return control;
  }

  private void tell(
      LeaderDemo demo, LeaderDemoStatus previous, LeaderDemoStatus status, boolean inConflict) {
    String was = previous == null ? null : previous.getLeader();
    if (!Objects.equals(was, status.getLeader())) {
      log.info("Leader of lease changed from {} to {}", was, status.getLeader());
      events.leaderChanged(demo, was, status.getLeader());
    }
    List<Failover> told = previous == null ? null : previous.getFailovers();
    List<Failover> now = status.getFailovers() == null ? List.of() : status.getFailovers();
    for (int i = now.size() - 1; i >= 0; i--) {
      if (told == null || !told.contains(now.get(i))) {
        events.failover(demo, now.get(i));
      }
    }
    if (inConflict && !hasReadyReason(previous, LeaderDemoStatusFactory.LEASE_CONFLICT)) {
      String message = readyMessage(status);
      log.warn(
          "{}/{}: {}", demo.getMetadata().getNamespace(), demo.getMetadata().getName(), message);
      events.leaseConflict(demo, message);
    }
    log.info(
        "Writing status: leader={} transitions={} ready={}/{} operatorLeader={}",
        status.getLeader(),
        status.getLeaseTransitions(),
        status.getReadyReplicas(),
        demo.getSpec().getReplicas(),
        status.getOperatorLeader());
  }

  private UpdateControl<LeaderDemo> invalidSpec(LeaderDemo demo, String problem) {
    Optional<LeaderDemoStatus> update = statusFactory.invalidSpec(demo, problem);
    if (update.isEmpty()) {
      return UpdateControl.noUpdate();
    }
    String message = readyMessage(update.get());
    log.warn("{}/{}: {}", demo.getMetadata().getNamespace(), demo.getMetadata().getName(), message);
    events.invalidSpec(demo, message);
    return UpdateControl.patchStatus(statusPatch(demo, update.get()));
  }

  @Override
  public ErrorStatusUpdateControl<LeaderDemo> updateErrorStatus(
      LeaderDemo demo, Context<LeaderDemo> context, Exception error) {
    if (isConflict(error)) {
      // somebody wrote the LeaderDemo since it was read; the retry that follows reads it again
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = FailureMessage.of(error);
    log.warn(
        "Reconcile of {}/{} failed: {}",
        demo.getMetadata().getNamespace(),
        demo.getMetadata().getName(),
        message);
    events.reconcileFailed(demo, message);
    return statusFactory
        .errorStatus(demo, error)
        .map(status -> ErrorStatusUpdateControl.patchStatus(statusPatch(demo, status)))
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  /**
   * Only the status, under the LeaderDemo's name: server-side apply sends the whole object, and a
   * spec the operator could not read must not travel back with it.
   */
  static LeaderDemo statusPatch(LeaderDemo demo, LeaderDemoStatus status) {
    LeaderDemo patch = new LeaderDemo();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(demo.getMetadata().getName())
            .withNamespace(demo.getMetadata().getNamespace())
            .build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }

  private static String readyMessage(LeaderDemoStatus status) {
    return status.getConditions().stream()
        .filter(c -> LeaderDemoStatusFactory.READY.equals(c.getType()))
        .map(Condition::getMessage)
        .findFirst()
        .orElse("");
  }

  private static boolean hasReadyReason(LeaderDemoStatus status, String reason) {
    return status != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    LeaderDemoStatusFactory.READY.equals(c.getType())
                        && reason.equals(c.getReason()));
  }

  private static boolean isConflict(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException e
          && e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return true;
      }
    }
    return false;
  }
}
