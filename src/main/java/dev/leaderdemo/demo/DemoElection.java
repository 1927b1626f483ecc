package dev.leaderdemo.demo;

import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.contract.LeaderDemoKind;
import dev.leaderdemo.election.LeaseRelease;
import dev.leaderdemo.events.EventRecorder;
import dev.leaderdemo.events.EventSink;
import dev.leaderdemo.process.DaemonThreads;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo pod's part in the election: a fabric8 LeaderElector on the Lease. fabric8's elector is
 * single-use, so a pod that loses the lease joins again with a new one. Stopping cancels the
 * elector and then, when releaseOnCancel is set, releases the lease with {@link LeaseRelease}
 * rather than fabric8's own release.
 */
public class DemoElection {

  /** The component the demo pods' Events come from. */
  public static final String COMPONENT = "leaderdemo-demo";

  private static final Logger log = LoggerFactory.getLogger(DemoElection.class);

  private final KubernetesClient client;
  private final DemoConfig config;
  private final Clock clock;
  private final LeaseRelease release;
  private final EventRecorder events;

  /**
   * The elector runs callbacks on its own thread, inside its renew loop: slow work goes here
   * instead.
   */
  private final ExecutorService sideEffects = DaemonThreads.singleThread("demo-events");

  private volatile String leader;
  private volatile boolean leading;
  private boolean stopping;
  private CompletableFuture<?> current;

  public DemoElection(KubernetesClient client, DemoConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.release =
        new LeaseRelease(client, clock, config.namespace(), config.leaseName(), config.identity());
    this.events = new EventRecorder(EventSink.of(client), clock, COMPONENT, config.identity());
  }

  /** Competes for the lease until {@link #stop()}. */
  public void run() {
    log.info(
        "{} joins the election for lease {}/{} ({}s / {}s / {}s, releaseOnCancel={})",
        config.identity(),
        config.namespace(),
        config.leaseName(),
        config.leaseDuration().toSeconds(),
        config.renewDeadline().toSeconds(),
        config.retryPeriod().toSeconds(),
        config.releaseOnCancel());
    while (true) {
      CompletableFuture<?> election;
      synchronized (this) {
        if (stopping) {
          return;
        }
        election = client.leaderElector().withConfig(electionConfig()).build().start();
        current = election;
      }
      try {
        election.get();
      } catch (CancellationException e) {
        return;
      } catch (ExecutionException e) {
        log.warn("{}: leader election failed: {}", config.identity(), e.getCause().getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      synchronized (this) {
        if (!stopping) {
          log.info("{} joins the election again", config.identity());
        }
      }
    }
  }

  /** Stops competing; returns once the lease is released (if configured and held). */
  public void stop() {
    CompletableFuture<?> election;
    synchronized (this) {
      stopping = true;
      election = current;
    }
    if (election != null) {
      election.cancel(true);
    }
    if (config.releaseOnCancel()) {
      release.releaseIfHeld();
    }
    sideEffects.shutdown();
    try {
      sideEffects.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String leader() {
    return leader;
  }

  public boolean isLeader() {
    return leading;
  }

  LeaderElectionConfig electionConfig() {
    return new LeaderElectionConfigBuilder()
        .withName(config.leaseName())
        .withLock(new LeaseLock(leaseMetadata(), config.identity()))
        .withLeaseDuration(config.leaseDuration())
        .withRenewDeadline(config.renewDeadline())
        .withRetryPeriod(config.retryPeriod())
        .withReleaseOnCancel(false)
        .withLeaderCallbacks(
            new LeaderCallbacks(this::startedLeading, this::stoppedLeading, this::newLeader))
        .build();
  }

  /**
   * Labelled so that the operator watches only demo Leases; owned so that it goes with its
   * LeaderDemo.
   */
  ObjectMeta leaseMetadata() {
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withNamespace(config.namespace())
            .withName(config.leaseName())
            .withLabels(DemoLabels.lease(config.leaderDemoName()));
    config
        .leaderDemoUid()
        .ifPresent(
            uid ->
                meta.withOwnerReferences(
                    LeaderDemoKind.ownerReference(config.leaderDemoName(), uid)));
    return meta.build();
  }

  private void startedLeading() {
    leading = true;
    log.info("{} is now the leader", config.identity());
    sideEffects.execute(this::recordBecameLeader);
  }

  private void stoppedLeading() {
    leading = false;
    log.info("{} lost leadership", config.identity());
  }

  private void newLeader(String identity) {
    leader = identity == null || identity.isBlank() ? null : identity;
    log.info("new leader is {}", leader == null ? "nobody" : leader);
  }

  /**
   * The Event client-go's elector records: `kubectl describe lease` shows who became leader when.
   */
  private void recordBecameLeader() {
    events.record(
        new ObjectReferenceBuilder()
            .withApiVersion("coordination.k8s.io/v1")
            .withKind("Lease")
            .withNamespace(config.namespace())
            .withName(config.leaseName())
            .build(),
        DemoEventReason.LeaderElection,
        config.identity() + " became leader");
  }
}
