package dev.leaderdemo.reconciler;

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
