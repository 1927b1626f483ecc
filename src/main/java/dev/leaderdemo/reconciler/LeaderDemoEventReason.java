package dev.leaderdemo.reconciler;

import dev.leaderdemo.events.EventReason;

/** The Events the operator records on a LeaderDemo, as `kubectl describe leaderdemo` lists them. */
public enum LeaderDemoEventReason implements EventReason {
  LeaderElected(Type.Normal),
  LeaderLost(Type.Normal),
  Failover(Type.Normal),
  ReconcileFailed(Type.Warning),
  InvalidSpec(Type.Warning),
  LeaseConflict(Type.Warning);

  private final Type type;

  LeaderDemoEventReason(Type type) {
    this.type = type;
  }

  @Override
  public Type type() {
    return type;
  }
}
