package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.events.EventRecorder;

/**
 * The Events of a LeaderDemo's life, so that `kubectl describe leaderdemo` tells what happened, in
 * words a person can read.
 */
public class LeaderDemoEvents {

  /** The component the operator's Events come from. */
  public static final String COMPONENT = "leaderdemo-operator";

  private final EventRecorder recorder;

  public LeaderDemoEvents(EventRecorder recorder) {
    this.recorder = recorder;
  }

  void leaderChanged(LeaderDemo demo, String previous, String current) {
    if (current == null) {
      recorder.record(
          demo,
          LeaderDemoEventReason.LeaderLost,
          "no demo pod leads any more (" + previous + " released its lease or let it expire)");
    } else {
      recorder.record(
          demo,
          LeaderDemoEventReason.LeaderElected,
          current + " is now the leader" + (previous == null ? "" : " (was " + previous + ")"));
    }
  }

  void failover(LeaderDemo demo, Failover failover) {
    String why =
        switch (failover.getCause()) {
          case LeaseHandovers.RELEASED -> failover.getPreviousLeader() + " released the lease";
          case LeaseHandovers.EXPIRED -> failover.getPreviousLeader() + "'s lease expired";
          default -> "it took the lease over from " + failover.getPreviousLeader();
        };
    recorder.record(
        demo,
        LeaderDemoEventReason.Failover,
        failover.getLeader()
            + " leads after "
            + failover.getLeaderlessFor()
            + " without a leader: "
            + why);
  }

  void reconcileFailed(LeaderDemo demo, String message) {
    recorder.record(demo, LeaderDemoEventReason.ReconcileFailed, message);
  }

  void invalidSpec(LeaderDemo demo, String message) {
    recorder.record(demo, LeaderDemoEventReason.InvalidSpec, message);
  }

  void leaseConflict(LeaderDemo demo, String message) {
    recorder.record(demo, LeaderDemoEventReason.LeaseConflict, message);
  }
}
