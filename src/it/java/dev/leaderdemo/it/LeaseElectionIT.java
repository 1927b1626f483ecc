package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.contract.DemoPodEnvironment;
import dev.leaderdemo.election.LeaderCallbacks;
import dev.leaderdemo.election.LeaseElector;
import dev.leaderdemo.election.LeaseElectorConfig;
import dev.leaderdemo.election.LeaseRelease;
import dev.leaderdemo.testkit.LocalCluster.Paused;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo's elector on the real API server: what makes it safe (expiry counted from the
 * candidate's own observation; a leader that cannot renew stops leading first), and what makes it
 * fast (candidates watch the Lease). Candidates run in this JVM, where a clock can be skewed, and
 * as demo processes, whose /leader a test can read while etcd is frozen.
 */
class LeaseElectionIT {

  private static final String NS = "election-it";
  private static final Duration LEASE = Duration.ofSeconds(4);
  private static final Duration RENEW = Duration.ofSeconds(3);
  private static final Duration RETRY = Duration.ofSeconds(1);

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  private final List<LeaseElector> electors = new ArrayList<>();
  private final ApiServer api = ApiServer.forConfig(namespace.client().getConfiguration());

  @AfterEach
  void stopElectors() {
    electors.forEach(LeaseElector::stop);
    api.close();
  }

  /**
   * One candidate's clock runs an hour ahead of the holder's. fabric8's elector would take the
   * Lease at once (it compares the holder's renewTime with its own clock); this one waits for the
   * holder to stop renewing, and then a full lease duration from the last renewal it saw.
   */
  @Test
  void aCandidateWhoseClockRunsAheadNeverTakesALeaseThatIsStillRenewed() {
    String lease = "skewed";
    LeaseElector holder = elector(lease, "holder", Clock.systemUTC(), false, LEASE, RENEW, RETRY);
    await("the holder leading", Duration.ofSeconds(30)).until(holder::isLeader);
    LeaseElector ahead =
        elector(
            lease,
            "clock-ahead",
            Clock.offset(Clock.systemUTC(), Duration.ofHours(1)),
            false,
            LEASE,
            RENEW,
            RETRY);

    await("the other candidate following the holder", Duration.ofSeconds(30))
        .until(() -> "holder".equals(ahead.leader()));
    Set<ZonedDateTime> renewals = new HashSet<>();
    await(
            "ten renewals by the holder, each seen while the other candidate waited",
            LEASE.multipliedBy(10))
        .until(
            () -> {
              LeaseSpec spec = lease(lease).getSpec();
              assertThat(spec.getHolderIdentity()).isEqualTo("holder");
              assertThat(ahead.isLeader()).as("the candidate whose clock runs ahead").isFalse();
              assertThat(ahead.leader()).as("whom it follows").isEqualTo("holder");
              renewals.add(spec.getRenewTime());
              return renewals.size() >= 10;
            });

    // the holder stops without a release, as a crash would leave the Lease
    LeaseSpec last = lease(lease).getSpec();
    holder.stop();
    long stoppedAt = System.nanoTime();
    await("the other candidate taking over", LEASE.multipliedBy(5)).until(ahead::isLeader);
    Duration waited = Duration.ofNanos(System.nanoTime() - stoppedAt);
    LeaseSpec taken = lease(lease).getSpec();
    assertThat(taken.getHolderIdentity()).isEqualTo("clock-ahead");
    assertThat(taken.getLeaseTransitions()).isEqualTo(last.getLeaseTransitions() + 1);
    // stamped by its own clock, an hour ahead
    assertThat(taken.getAcquireTime()).isAfter(last.getRenewTime().plusMinutes(59));
    // the holder's last renewal may have come after `last` was read, never before
    assertThat(waited)
        .as("from the holder's stop to the takeover")
        .isGreaterThanOrEqualTo(LEASE.minus(RETRY));
  }

  /**
   * A Lease whose holder's clock runs far ahead (renewTime an hour in the future) does not make the
   * candidates wait an hour: expiry is a lease duration after the last change they saw.
   */
  @Test
  void aRenewTimeInTheFutureDoesNotHoldTheLeaseBeyondOneLeaseDuration() {
    String lease = "future";
    ZonedDateTime future = ZonedDateTime.now().plusHours(1);
    namespace
        .client()
        .resource(
            new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata()
                .withNamespace(NS)
                .withName(lease)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("gone")
                .withLeaseDurationSeconds((int) LEASE.toSeconds())
                .withAcquireTime(future)
                .withRenewTime(future)
                .withLeaseTransitions(0)
                .endSpec()
                .build())
        .create();
    LeaseElector candidate =
        elector(lease, "candidate", Clock.systemUTC(), false, LEASE, RENEW, RETRY);

    await("the candidate taking over the abandoned Lease", LEASE.multipliedBy(5))
        .until(candidate::isLeader);

    LeaseSpec taken = lease(lease).getSpec();
    assertThat(taken.getHolderIdentity()).isEqualTo("candidate");
    assertThat(taken.getLeaseTransitions()).isEqualTo(1);
    assertThat(taken.getRenewTime()).isBefore(future);
  }

  /**
   * Candidates watch the Lease: with a 20 s retry period a polling candidate (client-go's, or
   * fabric8's) would look again only after 20 to 44 s; these take a released Lease at once.
   */
  @Test
  void aReleasedLeaseIsTakenByAWatchingCandidateWithoutWaitingForARetry() {
    String lease = "released";
    Duration lease60 = Duration.ofSeconds(60);
    Duration renew45 = Duration.ofSeconds(45);
    Duration retry20 = Duration.ofSeconds(20);
    LeaseElector first =
        elector(lease, "first", Clock.systemUTC(), true, lease60, renew45, retry20);
    await("the first leading", Duration.ofSeconds(30)).until(first::isLeader);
    List<LeaseElector> others =
        List.of(
            elector(lease, "second", Clock.systemUTC(), true, lease60, renew45, retry20),
            elector(lease, "third", Clock.systemUTC(), true, lease60, renew45, retry20));
    await("both others following the first", Duration.ofSeconds(30))
        .until(() -> others.stream().allMatch(e -> "first".equals(e.leader())));
    List<LeaseSpec> seen = new CopyOnWriteArrayList<>();
    try (var watch =
        namespace
            .client()
            .leases()
            .inNamespace(NS)
            .withName(lease)
            .watch(ItSupport.recording(l -> seen.add(l.getSpec())))) {
      int transitions = lease(lease).getSpec().getLeaseTransitions();

      first.stop();

      await("one of the others leading", Duration.ofSeconds(10))
          .until(() -> others.stream().anyMatch(LeaseElector::isLeader));
      assertThat(others.stream().filter(LeaseElector::isLeader)).hasSize(1);
      LeaseSpec taken = lease(lease).getSpec();
      assertThat(taken.getHolderIdentity()).isIn("second", "third");
      assertThat(taken.getLeaseTransitions()).isEqualTo(transitions + 1);
      assertThat(taken.getLeaseDurationSeconds()).isEqualTo(60);
      await("the release in the watch", Duration.ofSeconds(10))
          .until(() -> seen.stream().anyMatch(s -> "".equals(s.getHolderIdentity())));
      // released as client-go releases: no holder, one second, transitions unchanged
      LeaseSpec released =
          seen.stream().filter(s -> "".equals(s.getHolderIdentity())).findFirst().orElseThrow();
      assertThat(released.getLeaseDurationSeconds()).isEqualTo(1);
      assertThat(released.getLeaseTransitions()).isEqualTo(transitions);
    }
  }

  /** The release tests the holder in the same request: anybody else's leaves the Lease alone. */
  @Test
  void aReleaseByACandidateThatDoesNotHoldTheLeaseChangesNothing() {
    String lease = "kept";
    LeaseElector holder = elector(lease, "holder", Clock.systemUTC(), true, LEASE, RENEW, RETRY);
    await("the holder leading", Duration.ofSeconds(30)).until(holder::isLeader);
    Lease before = lease(lease);

    boolean released =
        new LeaseRelease(api, Clock.systemUTC(), NS, lease, "somebody-else").releaseIfHeld();

    assertThat(released).isFalse();
    Lease after = lease(lease);
    assertThat(after.getSpec().getHolderIdentity()).isEqualTo("holder");
    assertThat(after.getSpec().getLeaseDurationSeconds()).isEqualTo((int) LEASE.toSeconds());
    assertThat(holder.isLeader()).isTrue();
  }

  /**
   * etcd freezes for longer than the renew deadline: the leader cannot renew, and must stop saying
   * it leads before any other candidate may take the Lease. Three demo processes' /leader are read
   * all the while; never do two of them answer isLeader true in the same round.
   */
  @Test
  void whileEtcdIsFrozenPastTheRenewDeadlineNoTwoDemoProcessesSayTheyLead() throws Exception {
    Map<String, String> env =
        Map.of(
            DemoPodEnvironment.LEASE_NAME, "frozen",
            DemoPodEnvironment.LEASE_DURATION_SECONDS, "" + LEASE.toSeconds(),
            DemoPodEnvironment.RENEW_DEADLINE_SECONDS, "" + RENEW.toSeconds(),
            DemoPodEnvironment.RETRY_PERIOD_SECONDS, "" + RETRY.toSeconds());
    List<LocalProcess> demos = new ArrayList<>();
    for (String id : List.of("frozen-a", "frozen-b", "frozen-c")) {
      demos.add(namespace.processes().demo(id, NS, env));
    }
    await("three demo processes serving /leader", Duration.ofSeconds(60))
        .until(() -> demos.stream().allMatch(p -> p.log().contains("on port")));
    await("one demo process leading, and all three saying so", Duration.ofSeconds(60))
        .until(
            () ->
                leaderReports(demos).stream().filter(r -> r.contains("\"isLeader\":true")).count()
                        == 1
                    && leaderReports(demos).stream().map(LeaseElectionIT::named).distinct().count()
                        == 1);
    String leader = named(leaderReports(demos).get(0));

    AtomicBoolean sampling = new AtomicBoolean(true);
    List<Integer> leadersPerRound = new CopyOnWriteArrayList<>();
    Thread sampler =
        new Thread(
            () -> {
              while (sampling.get()) {
                leadersPerRound.add(
                    (int)
                        leaderReports(demos).stream()
                            .filter(r -> r.contains("\"isLeader\":true"))
                            .count());
              }
            },
            "leader-sampler");
    sampler.start();
    try {
      try (Paused frozen = namespace.cluster().pause("etcd")) {
        await("the leader stepping down while etcd is frozen", RENEW.plus(Duration.ofSeconds(20)))
            .until(
                () ->
                    !leaderReports(demos).stream().anyMatch(r -> r.contains("\"isLeader\":true")));
        // /leader stops claiming at the deadline itself; the elector's timer, which says why in
        // the log, may run later on a loaded machine, and the log reaches the file after that
        LocalProcess stepped =
            demos.stream().filter(p -> p.name().equals(leader)).findFirst().orElseThrow();
        await("the leader's log saying why it stepped down", Duration.ofSeconds(15))
            .until(() -> stepped.log().contains("no renewal succeeded within the renew deadline"));
      }
      await("a leader again once etcd is back", Duration.ofSeconds(60))
          .until(
              () ->
                  leaderReports(demos).stream().filter(r -> r.contains("\"isLeader\":true")).count()
                      == 1);
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertThat(leadersPerRound).as("leaders per round of /leader reads").contains(0, 1);
    assertThat(leadersPerRound).allMatch(n -> n <= 1);
    System.out.printf(
        "etcd frozen past the renew deadline: %d rounds of /leader reads, never two leaders%n",
        leadersPerRound.size());
  }

  private static List<String> leaderReports(List<LocalProcess> demos) {
    return demos.stream().map(p -> p.http("/leader").body()).toList();
  }

  private static String named(String report) {
    var m = java.util.regex.Pattern.compile("\"leader\":\"([^\"]*)\"").matcher(report);
    return m.find() ? m.group(1) : "";
  }

  private LeaseElector elector(
      String lease,
      String identity,
      Clock clock,
      boolean releaseOnCancel,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod) {
    LeaseElector elector =
        new LeaseElector(
            api,
            new LeaseElectorConfig(
                new ObjectMetaBuilder().withNamespace(NS).withName(lease).build(),
                identity,
                leaseDuration,
                renewDeadline,
                retryPeriod,
                releaseOnCancel),
            clock,
            System::nanoTime,
            new LeaderCallbacks() {
              @Override
              public void startedLeading() {}

              @Override
              public void stoppedLeading() {}

              @Override
              public void newLeader(String holder) {}
            });
    electors.add(elector);
    elector.start();
    return elector;
  }

  private static Lease lease(String name) {
    return namespace.client().leases().inNamespace(NS).withName(name).get();
  }
}
