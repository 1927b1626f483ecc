package dev.leaderdemo.demo;

import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.contract.LeaderDemoKind;
import dev.leaderdemo.election.LeaderCallbacks;
import dev.leaderdemo.election.LeaseElector;
import dev.leaderdemo.election.LeaseElectorConfig;
import dev.leaderdemo.events.EventRecorder;
import dev.leaderdemo.events.EventSink;
import dev.leaderdemo.process.DaemonThreads;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demo pod's part in the election: a {@link LeaseElector} on the LeaderDemo's Lease, logging
 * what it sees as the client-go demo does and recording an Event when this pod becomes leader.
 */
public class DemoElection implements LeaderCallbacks {

  /** The component the demo pods' Events come from. */
  public static final String COMPONENT = "leaderdemo-demo";

  private static final Logger log = LoggerFactory.getLogger(DemoElection.class);

  private final DemoMetrics metrics = new DemoMetrics();

  private final DemoConfig config;
  private final LeaseElector elector;
  private final EventRecorder events;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Clock clock;
  private boolean ledBefore;

  /** Callbacks run on the elector's thread: the Event's request goes here instead. */
  private final ExecutorService sideEffects = DaemonThreads.singleThread("demo-events");

  public DemoElection(ApiServer api, DemoConfig config, Clock clock, LongSupplier nanoTime) {
    this.config = config;
    this.clock = clock;
    this.elector = new LeaseElector(api, electorConfig(config), clock, nanoTime, this);
    this.events = new EventRecorder(EventSink.of(api), clock, COMPONENT, config.identity());
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
    elector.start();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops competing; returns once the lease is released (if configured and held). */
  public void stop() {
    elector.stop();
    sideEffects.shutdown();
    try {
      sideEffects.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped.countDown();
  }

  public String leader() {
    return elector.leader();
  }

  public boolean isLeader() {
    return elector.isLeader();
  }

  /** What /metrics shows of this pod's election. */
  public DemoMetrics metrics() {
    return metrics;
  }

  @Override
  public void renewed(Duration took, boolean succeeded) {
    metrics.renewed(took, succeeded);
  }

  @Override
  public void startedLeading() {
    metrics.leading(true);
    if (ledBefore) {
      log.info("{} is now the leader", config.identity());
    } else {
      ledBefore = true;
      log.info(
          "{} is now the leader, {} ms after its process started",
          config.identity(),
          ProcessHandle.current()
              .info()
              .startInstant()
              .map(start -> Duration.between(start, clock.instant()).toMillis())
              .orElse(-1L));
    }
    sideEffects.execute(this::recordBecameLeader);
  }

  @Override
  public void stoppedLeading() {
    metrics.leading(false);
    log.info("{} lost leadership", config.identity());
  }

  @Override
  public void newLeader(String identity) {
    if (identity != null) {
      metrics.leaderChanged();
    }
    log.info("new leader is {}", identity == null ? "nobody" : identity);
  }

  static LeaseElectorConfig electorConfig(DemoConfig config) {
    return new LeaseElectorConfig(
        leaseMetadata(config),
        config.identity(),
        config.leaseDuration(),
        config.renewDeadline(),
        config.retryPeriod(),
        config.releaseOnCancel());
  }

  /**
   * Labelled so that the operator watches only demo Leases; owned so that it goes with its
   * LeaderDemo.
   */
  static ObjectMeta leaseMetadata(DemoConfig config) {
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
