package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.dependent.DemoResources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Computes a LeaderDemo's status from what the operator observes. Pure apart from the injected clock. */
public class LeaderDemoStatusFactory {

  public static final String READY = "Ready";
  public static final String LEADER_ELECTED = "LeaderElected";
  private static final int MAX_MESSAGE_LENGTH = 1024;

  private final Clock clock;
  private final String operatorIdentity;

  public LeaderDemoStatusFactory(Clock clock, String operatorIdentity) {
    this.clock = clock;
    this.operatorIdentity = operatorIdentity;
  }

  /**
   * The status to report. Returns the current status object itself when nothing but the lease's renewTime
   * moved, so that a renewal never becomes a status write.
   */
  public LeaderDemoStatus status(LeaderDemo demo, Optional<LeaseObservation> lease, Optional<Deployment> deployment) {
    Instant now = clock.instant();
    LeaderDemoStatus previous = demo.getStatus();
    String leaseName = DemoResources.leaseName(demo);
    Optional<String> leader = lease.flatMap(l -> l.leaderAt(now));

    LeaderDemoStatus status = new LeaderDemoStatus();
    status.setLeader(leader.orElse(null));
    status.setLeaderSince(leader.flatMap(l -> lease.flatMap(LeaseObservation::acquireTime)).map(KubernetesTime::format)
        .orElse(null));
    status.setLeaseTransitions(lease.map(LeaseObservation::transitions).orElse(null));
    Optional<DeploymentStatus> deploymentStatus = deployment.map(Deployment::getStatus);
    int ready = deploymentStatus.map(DeploymentStatus::getReadyReplicas).orElse(0);
    status.setReplicas(deploymentStatus.map(DeploymentStatus::getReplicas).orElse(0));
    status.setReadyReplicas(ready);
    status.setOperatorLeader(operatorIdentity);
    status.setObservedGeneration(demo.getMetadata().getGeneration());

    long generation = generation(demo);
    List<Condition> previousConditions = previous == null ? List.of() : previous.getConditions();
    Condition leaderElected = leaderElected(leaseName, lease, leader, generation);
    Condition readyCondition = ready(demo, ready, leader, leaseName, generation);
    status.setConditions(List.of(
        Conditions.carryTransitionTime(readyCondition, previousConditions, now),
        Conditions.carryTransitionTime(leaderElected, previousConditions, now)));

    if (previous != null) {
      status.setLastRenewTime(previous.getLastRenewTime());
      if (status.equals(previous)) {
        return previous;
      }
    }
    status.setLastRenewTime(lease.flatMap(LeaseObservation::renewTime).map(KubernetesTime::format).orElse(null));
    return status;
  }

  /** The status after a failed reconcile: what was known stays, Ready turns False with the reason. */
  public LeaderDemoStatus errorStatus(LeaderDemo demo, Exception error) {
    Instant now = clock.instant();
    LeaderDemoStatus previous = demo.getStatus();
    LeaderDemoStatus status = previous == null ? new LeaderDemoStatus() : copy(previous);
    status.setOperatorLeader(operatorIdentity);
    Condition failed = condition(READY, false, "ReconcileFailed", message(error), generation(demo));
    List<Condition> conditions = new ArrayList<>();
    conditions.add(Conditions.carryTransitionTime(failed, status.getConditions(), now));
    status.getConditions().stream().filter(c -> !READY.equals(c.getType())).forEach(conditions::add);
    status.setConditions(conditions);
    return status;
  }

  private static Condition leaderElected(String leaseName, Optional<LeaseObservation> lease,
      Optional<String> leader, long generation) {
    if (leader.isPresent()) {
      return condition(LEADER_ELECTED, true, "LeaseHeld",
          leader.get() + " holds lease " + leaseName, generation);
    }
    if (lease.isEmpty()) {
      return condition(LEADER_ELECTED, false, "LeaseNotFound",
          "lease " + leaseName + " does not exist yet; the demo pods create it when they start", generation);
    }
    LeaseObservation observed = lease.get();
    if (observed.holder().isEmpty()) {
      return condition(LEADER_ELECTED, false, "LeaseReleased",
          "lease " + leaseName + " was released and nobody holds it", generation);
    }
    String expiredAt = observed.expiresAt().map(KubernetesTime::format).orElse("an unknown time");
    return condition(LEADER_ELECTED, false, "LeaseExpired",
        "lease " + leaseName + " of " + observed.holder().get() + " expired at " + expiredAt, generation);
  }

  private static Condition ready(LeaderDemo demo, int ready, Optional<String> leader, String leaseName,
      long generation) {
    int desired = demo.getSpec().getReplicas();
    String pods = ready + "/" + desired + " demo pods ready";
    if (ready < desired) {
      return condition(READY, false, "PodsNotReady", pods, generation);
    }
    if (leader.isEmpty()) {
      return condition(READY, false, "NoLeader", pods + " but none holds lease " + leaseName, generation);
    }
    return condition(READY, true, "Available", pods + "; " + leader.get() + " leads", generation);
  }

  private static Condition condition(String type, boolean status, String reason, String message, long generation) {
    return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason)
        .withMessage(message).withObservedGeneration(generation).build();
  }

  private static long generation(LeaderDemo demo) {
    return Objects.requireNonNullElse(demo.getMetadata().getGeneration(), 0L);
  }

  private static String message(Exception error) {
    Throwable cause = error;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) + "..." : message;
  }

  private static LeaderDemoStatus copy(LeaderDemoStatus s) {
    LeaderDemoStatus c = new LeaderDemoStatus();
    c.setLeader(s.getLeader());
    c.setLeaderSince(s.getLeaderSince());
    c.setLeaseTransitions(s.getLeaseTransitions());
    c.setLastRenewTime(s.getLastRenewTime());
    c.setReplicas(s.getReplicas());
    c.setReadyReplicas(s.getReadyReplicas());
    c.setOperatorLeader(s.getOperatorLeader());
    c.setObservedGeneration(s.getObservedGeneration());
    c.setConditions(new ArrayList<>(s.getConditions()));
    return c;
  }
}
