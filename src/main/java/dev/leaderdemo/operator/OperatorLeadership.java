package dev.leaderdemo.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this replica knows about its own leadership, and so whether it may write. JOSDK offers no
 * way to ask.
 *
 * <p>Writing is allowed only while this replica leads and its last successful lease write began
 * less than a renew deadline ago. The bound is what keeps a replica that was paused (SIGSTOP, a
 * long GC, a frozen VM) past its lease from writing when it wakes, before its elector notices that
 * somebody else leads: other replicas take over only a full lease duration after the last renewal
 * they saw, which is longer than the renew deadline.
 */
public class OperatorLeadership {

  private static final Logger log = LoggerFactory.getLogger(OperatorLeadership.class);

  private final String identity;
  private final long renewDeadlineNanos;
  private final LongSupplier nanoTime;
  private final Runnable onLost;
  private volatile boolean leading;
  private volatile boolean shuttingDown;
  private volatile boolean renewed;
  private volatile long lastRenewalStart;
  private volatile String leader;
  private final java.util.concurrent.atomic.AtomicLong leaderChanges =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param onLost runs on a thread of its own when leadership is lost while not shutting down
   */
  public OperatorLeadership(
      String identity, Duration renewDeadline, LongSupplier nanoTime, Runnable onLost) {
    this.identity = identity;
    this.renewDeadlineNanos = renewDeadline.toNanos();
    this.nanoTime = nanoTime;
    this.onLost = onLost;
  }

  /**
   * JOSDK runs these before its own callbacks; fabric8 runs them on the elector's thread, so none
   * may block.
   */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader);
  }

  private void startedLeading() {
    leading = true;
    log.info("{} is now the operator leader and starts reconciling", identity);
  }

  private void stoppedLeading() {
    boolean wasLeading = leading;
    leading = false;
    if (shuttingDown) {
      log.info("{} stopped leading for shutdown", identity);
      return;
    }
    log.error(
        "{} lost the operator lease{}; exiting so that no stale reconcile can write",
        identity,
        wasLeading ? "" : " before it started leading");
    Thread exit = new Thread(onLost, "leadership-lost");
    exit.setDaemon(false);
    exit.start();
  }

  private void newLeader(String newLeader) {
    leader = newLeader == null || newLeader.isBlank() ? null : newLeader;
    if (leader != null) {
      leaderChanges.incrementAndGet();
    }
    log.info("Operator leader is now {}", leader == null ? "nobody" : leader);
  }

  /**
   * Called when a write of the operator's lease that was started at {@code startNanos} succeeded.
   */
  void leaseWritten(long startNanos) {
    lastRenewalStart = startNanos;
    renewed = true;
  }

  public boolean mayWrite() {
    if (shuttingDown || !leading || !renewed) {
      return false;
    }
    long since = nanoTime.getAsLong() - lastRenewalStart;
    return since >= 0 && since < renewDeadlineNanos;
  }

  /**
   * From now on this replica writes nothing, its own lease included: the lease is released by other
   * means.
   */
  public void beginShutdown() {
    shuttingDown = true;
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  /** How many times this replica has seen a new holder of the operator's lease. */
  public long leaderChanges() {
    return leaderChanges.get();
  }

  public boolean isLeading() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  /** The leader this replica last observed, possibly itself; null when none is known. */
  public String leader() {
    return leader;
  }
}
