package dev.leaderdemo.election;

/**
 * What a {@link LeaseElector} tells its program, as client-go's callbacks do. All of them run on
 * the elector's thread, one at a time: they must return quickly.
 */
public interface LeaderCallbacks {

  void startedLeading();

  void stoppedLeading();

  /**
   * @param identity the holder now recorded in the Lease, or null when it was released
   */
  void newLeader(String identity);

  /**
   * A renewal request of this leader, done: how long it took and whether the API server took it.
   */
  default void renewed(java.time.Duration took, boolean succeeded) {}
}
