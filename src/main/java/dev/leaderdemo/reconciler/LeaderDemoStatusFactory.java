package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.KubernetesTime;
import dev.leaderdemo.dependent.DemoResources;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Computes a LeaderDemo's status from what the operator observes. Pure apart from the injected
 * clock.
 */
public class LeaderDemoStatusFactory {

  public static final String READY = "Ready";
  public static final String LEADER_ELECTED = "LeaderElected";
  // the Ready reasons that also have an Event say the same word
  public static final String LEASE_CONFLICT = LeaderDemoEventReason.LeaseConflict.name();
  public static final String INVALID_SPEC = LeaderDemoEventReason.InvalidSpec.name();
  public static final String RECONCILE_FAILED = LeaderDemoEventReason.ReconcileFailed.name();

  private final Clock clock;
  private final String operatorIdentity;

  public LeaderDemoStatusFactory(Clock clock, String operatorIdentity) {
    this.clock = clock;
    this.operatorIdentity = operatorIdentity;
  }

  /**
   * The status to write, or nothing when the current one still says it all: when nothing but the
   * lease's renewTime moved, so that a renewal never becomes a status write.
   */
  public Optional<LeaderDemoStatus> status(
      LeaderDemo demo, Optional<LeaseObservation> lease, Optional<Deployment> deployment) {
    return status(demo, lease, deployment, Optional.empty());
  }

  /**
   * As {@link #status(LeaderDemo, Optional, Optional)}, for a LeaderDemo whose Lease name may be
   * claimed by another LeaderDemo in its namespace; that Lease then says nothing about this one.
   */
  public Optional<LeaderDemoStatus> status(
      LeaderDemo demo,
      Optional<LeaseObservation> observedLease,
      Optional<Deployment> deployment,
      Optional<String> leaseClaimedBy) {
    return status(demo, observedLease, deployment, leaseClaimedBy, List.of());
  }

  /**
   * As {@link #status(LeaderDemo, Optional, Optional, Optional)}, with the changes of leader the
   * operator saw in the Lease (newest first), which join those the status already keeps.
   */
  public Optional<LeaderDemoStatus> status(
      LeaderDemo demo,
      Optional<LeaseObservation> observedLease,
      Optional<Deployment> deployment,
      Optional<String> leaseClaimedBy,
      List<Failover> seenFailovers) {
    Instant now = clock.instant();
    LeaderDemoStatus previous = demo.getStatus();
    String leaseName = DemoResources.leaseName(demo);
    Optional<LeaseObservation> lease =
        leaseClaimedBy.isPresent() ? Optional.empty() : observedLease;
    Optional<String> leader = lease.flatMap(l -> l.leaderAt(now));

    LeaderDemoStatus status = new LeaderDemoStatus();
    status.setLeader(leader.orElse(null));
    status.setLeaderSince(
        leader
            .flatMap(l -> lease.flatMap(LeaseObservation::acquireTime))
            .map(KubernetesTime::format)
            .orElse(null));
    status.setLeaseTransitions(lease.map(LeaseObservation::transitions).orElse(null));
    Optional<DeploymentStatus> deploymentStatus = deployment.map(Deployment::getStatus);
    int ready = deploymentStatus.map(DeploymentStatus::getReadyReplicas).orElse(0);
    status.setReplicas(deploymentStatus.map(DeploymentStatus::getReplicas).orElse(0));
    status.setReadyReplicas(ready);
    status.setOperatorLeader(operatorIdentity);
    status.setObservedGeneration(demo.getMetadata().getGeneration());
    status.setFailovers(
        failovers(
            previous == null ? null : previous.getFailovers(),
            leaseClaimedBy.isPresent() ? List.of() : seenFailovers));

    long generation = generation(demo);
    List<Condition> previousConditions = previous == null ? List.of() : previous.getConditions();
    Condition leaderElected;
    Condition readyCondition;
    if (leaseClaimedBy.isPresent()) {
      String message =
          "lease "
              + leaseName
              + " is already used by LeaderDemo "
              + leaseClaimedBy.get()
              + " in this namespace; this LeaderDemo runs no demo pods until it names another"
              + " spec.leaseName or "
              + leaseClaimedBy.get()
              + " is gone";
      leaderElected = condition(LEADER_ELECTED, false, LEASE_CONFLICT, message, generation);
      readyCondition = condition(READY, false, LEASE_CONFLICT, message, generation);
    } else {
      leaderElected = leaderElected(leaseName, lease, leader, generation);
      readyCondition = ready(demo, ready, leader, leaseName, generation);
    }
    status.setConditions(
        List.of(
            Conditions.carryTransitionTime(readyCondition, previousConditions, now),
            Conditions.carryTransitionTime(leaderElected, previousConditions, now)));

    if (previous != null) {
      status.setLastRenewTime(previous.getLastRenewTime());
      if (status.equals(previous)) {
        return Optional.empty();
      }
    }
    status.setLastRenewTime(
        lease.flatMap(LeaseObservation::renewTime).map(KubernetesTime::format).orElse(null));
    return Optional.of(status);
  }

  /**
   * Those kept and those seen, newest first, each once, at most {@link
   * LeaderDemoStatus#FAILOVERS_KEPT}.
   */
  static List<Failover> failovers(List<Failover> kept, List<Failover> seen) {
    List<Failover> all =
        Stream.concat(seen.stream(), kept == null ? Stream.empty() : kept.stream())
            .filter(f -> f.getObservedAt() != null)
            .distinct()
            .sorted(Comparator.comparing(Failover::getObservedAt).reversed())
            .limit(LeaderDemoStatus.FAILOVERS_KEPT)
            .toList();
    return all.isEmpty() ? null : new ArrayList<>(all);
  }

  /**
   * The status after a failed reconcile: what was known stays, Ready turns False with the reason;
   * nothing when the current status says so already.
   */
  public Optional<LeaderDemoStatus> errorStatus(LeaderDemo demo, Exception error) {
    return changed(demo, failed(demo, RECONCILE_FAILED, FailureMessage.of(error)));
  }

  /**
   * The status of a LeaderDemo whose spec the API server accepted but the operator cannot use (an
   * older or laxer CRD): nothing is changed for it, and Ready says which field is wrong.
   */
  public Optional<LeaderDemoStatus> invalidSpec(LeaderDemo demo, String problem) {
    LeaderDemoStatus status =
        failed(
            demo,
            INVALID_SPEC,
            "the spec cannot be used, so nothing was changed: " + FailureMessage.clean(problem));
    status.setObservedGeneration(demo.getMetadata().getGeneration());
    return changed(demo, status);
  }

  private static Optional<LeaderDemoStatus> changed(LeaderDemo demo, LeaderDemoStatus status) {
    return status.equals(demo.getStatus()) ? Optional.empty() : Optional.of(status);
  }

  private LeaderDemoStatus failed(LeaderDemo demo, String reason, String message) {
    Instant now = clock.instant();
    LeaderDemoStatus previous = demo.getStatus();
    LeaderDemoStatus status = previous == null ? new LeaderDemoStatus() : previous.copy();
    status.setOperatorLeader(operatorIdentity);
    Condition failed = condition(READY, false, reason, message, generation(demo));
    List<Condition> conditions = new ArrayList<>();
    conditions.add(Conditions.carryTransitionTime(failed, status.getConditions(), now));
    status.getConditions().stream()
        .filter(c -> !READY.equals(c.getType()))
        .forEach(conditions::add);
    status.setConditions(conditions);
    return status;
  }

  private static Condition leaderElected(
      String leaseName,
      Optional<LeaseObservation> lease,
      Optional<String> leader,
      long generation) {
    if (leader.isPresent()) {
      return condition(
          LEADER_ELECTED,
          true,
          "LeaseHeld",
          leader.get() + " holds lease " + leaseName,
          generation);
    }
    if (lease.isEmpty()) {
      return condition(
          LEADER_ELECTED,
          false,
          "LeaseNotFound",
          "lease " + leaseName + " does not exist yet; the demo pods create it when they start",
          generation);
    }
    LeaseObservation observed = lease.get();
    if (observed.holder().isEmpty()) {
      return condition(
          LEADER_ELECTED,
          false,
          "LeaseReleased",
          "lease " + leaseName + " was released and nobody holds it",
          generation);
    }
    String expiredAt = observed.expiresAt().map(KubernetesTime::format).orElse("an unknown time");
    return condition(
        LEADER_ELECTED,
        false,
        "LeaseExpired",
        "lease " + leaseName + " of " + observed.holder().get() + " expired at " + expiredAt,
        generation);
  }

  private static Condition ready(
      LeaderDemo demo, int ready, Optional<String> leader, String leaseName, long generation) {
    int desired = demo.getSpec().getReplicas();
    String pods = ready + "/" + desired + " demo pods ready";
    if (ready < desired) {
      return condition(READY, false, "PodsNotReady", pods, generation);
    }
    if (leader.isEmpty()) {
      return condition(
          READY, false, "NoLeader", pods + " but none holds lease " + leaseName, generation);
    }
    return condition(READY, true, "Available", pods + "; " + leader.get() + " leads", generation);
  }

  private static Condition condition(
      String type, boolean status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  private static long generation(LeaderDemo demo) {
    return Objects.requireNonNullElse(demo.getMetadata().getGeneration(), 0L);
  }
}
