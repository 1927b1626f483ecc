package dev.leaderdemo.election;

/**
 * What a {@link LeaseElector} tells its program, as client-go's callbacks do. All three run on the
 * elector's thread, one at a time: they must return quickly.
 */
public interface LeaderCallbacks {

  void startedLeading();

  void stoppedLeading();

  /**
   * @param identity the holder now recorded in the Lease, or null when it was released
   */
  void newLeader(String identity);
}
