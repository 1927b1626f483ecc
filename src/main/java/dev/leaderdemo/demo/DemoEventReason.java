package dev.leaderdemo.demo;

import dev.leaderdemo.events.EventReason;

/** The Events a demo pod records on its Lease. */
public enum DemoEventReason implements EventReason {
  /** client-go's reason when a candidate becomes leader. */
  LeaderElection(Type.Normal);

  private final Type type;

  DemoEventReason(Type type) {
    this.type = type;
  }

  @Override
  public Type type() {
    return type;
  }
}
