package dev.leaderdemo.reconciler;

import dev.leaderdemo.api.Failover;
import dev.leaderdemo.api.LeaderDemoStatus;
import dev.leaderdemo.contract.KubernetesTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The changes of leader of one Lease, as the operator sees them: each with how long nobody led
 * before it. Nobody leads from the moment the operator sees the holder release the Lease, or from
 * the instant the holder's lease ran out (renewTime plus leaseDurationSeconds) when it stopped
 * renewing; the gap ends when the operator sees the next holder. A Lease first seen without a
 * holder has no known previous leader, so the first holder after it is no failover.
 *
 * <p>Not thread-safe: the event source calls it from its watch and its expiry timer under its own
 * lock.
 */
final class LeaseHandovers {

  static final String RELEASED = "Released";
  static final String EXPIRED = "Expired";
  static final String TAKEN_OVER = "TakenOver";

  private final Deque<Failover> recent = new ArrayDeque<>();

  /** The holder last seen leading, while it leads or until the next one is seen. */
  private String lastLeader;

  /** Its lease's end as last seen. */
  private Instant lastExpiry;

  private Instant leaderlessSince;
  private String cause;

  /** A state of the Lease, from the watch or from the expiry check, seen at {@code now}. */
  void observed(LeaseObservation lease, Instant now) {
    Optional<String> leader = lease.leaderAt(now);
    if (leader.isEmpty()) {
      if (lastLeader != null && leaderlessSince == null) {
        boolean released = lease.holder().isEmpty();
        leaderlessSince = released ? now : lease.expiresAt().orElse(now);
        cause = released ? RELEASED : EXPIRED;
      }
      return;
    }
    String holder = leader.get();
    if (lastLeader != null && (leaderlessSince != null || !holder.equals(lastLeader))) {
      Instant since = leaderlessSince != null ? leaderlessSince : lastExpiry;
      String why = leaderlessSince != null ? cause : now.isBefore(since) ? TAKEN_OVER : EXPIRED;
      Duration gap = since.isAfter(now) ? Duration.ZERO : Duration.between(since, now);
      recent.addFirst(
          new Failover(holder, lastLeader, KubernetesTime.micro(now), duration(gap), why));
      while (recent.size() > LeaderDemoStatus.FAILOVERS_KEPT) {
        recent.removeLast();
      }
    }
    lastLeader = holder;
    lastExpiry = lease.expiresAt().orElse(now);
    leaderlessSince = null;
    cause = null;
  }

  /** Newest first. */
  List<Failover> recent() {
    return List.copyOf(recent);
  }

  /** As Go prints a time.Duration, to the millisecond: 31ms, 1.5s, 15.004s, 2m5s. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    long minutes = ms / 60_000;
    long rest = ms % 60_000;
    String seconds =
        rest % 1000 == 0
            ? Long.toString(rest / 1000)
            : String.format(java.util.Locale.ROOT, "%d.%03d", rest / 1000, rest % 1000)
                .replaceAll("0+$", "");
    return (minutes > 0 ? minutes + "m" : "") + seconds + "s";
  }
}
