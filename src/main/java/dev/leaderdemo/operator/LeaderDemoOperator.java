package dev.leaderdemo.operator;

import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.election.LeaseRelease;
import dev.leaderdemo.events.EventRecorder;
import dev.leaderdemo.events.EventSink;
import dev.leaderdemo.http.LeaderView;
import dev.leaderdemo.http.ProbeServer;
import dev.leaderdemo.http.ProbeServer.Response;
import dev.leaderdemo.process.DaemonThreads;
import dev.leaderdemo.reconciler.LeaderDemoEvents;
import dev.leaderdemo.reconciler.LeaderDemoReconciler;
import dev.leaderdemo.reconciler.LeaderDemoStatusFactory;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: every replica watches (warm caches), only the holder of the operator's
 * lease reconciles.
 *
 * <p>Shutdown is ours, not JOSDK's: in 5.2.3 its hook is off under leader election, and it would
 * exit inside a shutdown hook. On SIGTERM the write fence first refuses every write of this replica
 * (its lease renewals too), then the lease is released at once, so that a standby takes over within
 * one retry period, and only then does JOSDK stop. Releasing first matters under a forced pod
 * delete, where the kubelet kills two seconds after SIGTERM. Each step has a budget, so that a hung
 * API server cannot keep the process past its grace period.
 */
public final class LeaderDemoOperator {

  private static final Logger log = LoggerFactory.getLogger(LeaderDemoOperator.class);

  /** Distinct from fabric8's default, so that no other fabric8 program's edits share its entry. */
  static final String USER_AGENT = "leaderdemo-operator/1";

  /**
   * How long shutdown waits for reconciles under way (their writes are refused by then), and for
   * JOSDK's stop as a whole. With the release's own budget the process exits within about six
   * seconds of SIGTERM, whatever the API server does, well inside the 30 s grace period.
   */
  private static final Duration RECONCILE_TERMINATION_TIMEOUT = Duration.ofSeconds(3);

  private static final Duration STOP_BUDGET = Duration.ofSeconds(4);

  /**
   * Reconciles at once. JOSDK's default is 50; a burst of reconciles is bound by CPU, its own and
   * the API server's, long before by the wait for answers, so 50 reconciled no faster than 16 and
   * kept 50 threads' stacks and garbage in flight. {@link IdleEndingThreadPool} says why these are
   * not JOSDK's pools.
   */
  private static final int RECONCILE_THREADS = 16;

  /** A reconcile applies up to three dependents at once; these are shared by all reconciles. */
  private static final int WORKFLOW_THREADS = 16;

  /** Long enough that a burst's threads serve all of it, short against a steady state. */
  private static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(30);

  private final OperatorConfig config;
  private final String namespace;
  private final OperatorLeadership leadership;
  private final KubernetesClient client;
  private final Operator operator;

  /** For the release and Events: requests that must not wait behind the client's retries. */
  private final ApiServer api;

  private final LeaseRelease release;
  private final OperatorMetrics metrics;
  private ProbeServer http;

  LeaderDemoOperator(
      OperatorConfig config, Config clientConfig, Clock clock, Runnable onLeadershipLost) {
    this.config = config;
    this.namespace =
        config
            .namespace()
            .orElse(clientConfig.getNamespace() == null ? "default" : clientConfig.getNamespace());
    this.leadership =
        new OperatorLeadership(
            config.identity(), config.renewDeadline(), System::nanoTime, onLeadershipLost);
    LeaseWriteFence fence =
        new LeaseWriteFence(leadership, namespace, config.leaseName(), System::nanoTime);
    // the manager the API server names the dependents' creates after; FieldOwnership renames it
    clientConfig.setUserAgent(USER_AGENT);
    this.client =
        new KubernetesClientBuilder()
            .withConfig(clientConfig)
            .withHttpClientBuilderConsumer(
                builder -> {
                  builder.addOrReplaceInterceptor("lease-write-fence", fence);
                  CertificateOnlyAuth.dropTokenRefresh(clientConfig, builder);
                })
            .build();
    // the release goes around the fence, which refuses every write once shutdown begins
    this.api = ApiServer.forConfig(clientConfig);
    this.release = new LeaseRelease(api, clock, namespace, config.leaseName(), config.identity());
    this.metrics = new OperatorMetrics(leadership);
    this.operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withMetrics(metrics.josdk())
                    .withCloseClientOnStop(false)
                    .withExecutorService(
                        IdleEndingThreadPool.of(
                            "reconciler", RECONCILE_THREADS, IDLE_THREAD_KEEP_ALIVE))
                    .withWorkflowExecutorService(
                        IdleEndingThreadPool.of(
                            "workflow", WORKFLOW_THREADS, IDLE_THREAD_KEEP_ALIVE))
                    .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT)
                    .withDependentResourceFactory(
                        new LeaderDemoDependentResourceFactory(config.demoImage()))
                    .withLeaderElectionConfiguration(
                        LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                                config.leaseName())
                            .withLeaseNamespace(namespace)
                            .withIdentity(config.identity())
                            .withLeaseDuration(config.leaseDuration())
                            .withRenewDeadline(config.renewDeadline())
                            .withRetryPeriod(config.retryPeriod())
                            .withLeaderCallbacks(leadership.callbacks())
                            .withExitOnStopLeading(false)
                            .build()));
    operator.register(
        new LeaderDemoReconciler(
            new LeaderDemoStatusFactory(clock, config.identity()),
            new LeaderDemoEvents(
                new EventRecorder(
                    EventSink.of(api), clock, LeaderDemoEvents.COMPONENT, config.identity())),
            clock,
            api));
  }

  public static void main(String[] args) {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv(), hostname());
    LeaderDemoOperator app =
        new LeaderDemoOperator(
            config, Config.autoConfigure(null), Clock.systemUTC(), () -> System.exit(1));
    Runtime.getRuntime().addShutdownHook(new Thread(app::stop, "operator-shutdown"));
    app.start();
  }

  void start() {
    log.info(
        "Starting as {}; operator lease {}/{} (duration {}ms, renew deadline {}ms, retry period"
            + " {}ms); demo image {}",
        config.identity(),
        namespace,
        config.leaseName(),
        config.leaseDuration().toMillis(),
        config.renewDeadline().toMillis(),
        config.retryPeriod().toMillis(),
        config.demoImage());
    RuntimeInfo runtime = operator.getRuntimeInfo();
    http =
        ProbeServer.start(
            config.httpPort(),
            Map.of(
                "/healthz",
                    () ->
                        runtime.allEventSourcesAreHealthy()
                            ? Response.text(true, "ok")
                            : Response.text(
                                false,
                                "unhealthy event sources: "
                                    + runtime.unhealthyEventSources().keySet()),
                "/readyz",
                    () ->
                        Response.text(runtime.isStarted(), runtime.isStarted() ? "ok" : "starting"),
                "/leader", () -> leaderView().response(),
                "/metrics", () -> Response.prometheus(metrics.scrape())));
    log.info("Serving /healthz, /readyz and /leader on port {}", http.port());
    operator.start();
  }

  void stop() {
    leadership.beginShutdown();
    boolean wasLeading = leadership.isLeading();
    log.info(
        "Shutting down {}{}",
        config.identity(),
        wasLeading ? ": no more writes, release the lease" : "");
    // whatever this replica believes: the release applies only while the Lease names it, and a
    // replica that has just won the Lease may be stopped before its election has called back
    if (config.releaseOnShutdown()) {
      release.releaseIfHeld();
    }
    Thread stopping =
        DaemonThreads.start(
            "operator-stop",
            () -> {
              try {
                operator.stop();
              } catch (RuntimeException e) {
                log.warn("Stopping the operator failed: {}", e.getMessage());
              }
            });
    try {
      stopping.join(STOP_BUDGET.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopping.isAlive()) {
      log.warn(
          "JOSDK had not stopped after {} ms; going on with the shutdown", STOP_BUDGET.toMillis());
    }
    client.close();
    api.close();
    if (http != null) {
      http.close();
    }
    log.info("{} stopped", config.identity());
  }

  private LeaderView leaderView() {
    return new LeaderView(config.identity(), leadership.leader(), leadership.isLeading());
  }

  static String hostname() {
    String host = System.getenv("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "leaderdemo-operator";
    }
  }
}
