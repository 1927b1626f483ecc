package dev.leaderdemo.demo;

import static dev.leaderdemo.contract.DemoPodEnvironment.HTTP_PORT;
import static dev.leaderdemo.contract.DemoPodEnvironment.LEADERDEMO_NAME;
import static dev.leaderdemo.contract.DemoPodEnvironment.LEADERDEMO_UID;
import static dev.leaderdemo.contract.DemoPodEnvironment.LEASE_DURATION_SECONDS;
import static dev.leaderdemo.contract.DemoPodEnvironment.LEASE_NAME;
import static dev.leaderdemo.contract.DemoPodEnvironment.POD_NAME;
import static dev.leaderdemo.contract.DemoPodEnvironment.POD_NAMESPACE;
import static dev.leaderdemo.contract.DemoPodEnvironment.RELEASE_ON_CANCEL;
import static dev.leaderdemo.contract.DemoPodEnvironment.RENEW_DEADLINE_SECONDS;
import static dev.leaderdemo.contract.DemoPodEnvironment.RETRY_PERIOD_SECONDS;

import dev.leaderdemo.contract.DemoPodEnvironment;
import dev.leaderdemo.contract.ElectionDefaults;
import dev.leaderdemo.process.Environment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The demo app's settings, read from the environment that the demo Deployment gives each pod (see
 * {@link DemoPodEnvironment}).
 *
 * @param leaderDemoUid the owning LeaderDemo's UID, for the Lease's owner reference; empty outside
 *     a Deployment
 */
public record DemoConfig(
    String identity,
    String namespace,
    String leaseName,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean releaseOnCancel,
    String leaderDemoName,
    Optional<String> leaderDemoUid,
    int httpPort) {

  public static DemoConfig fromEnvironment(Map<String, String> variables) {
    Environment env = new Environment(variables);
    String leaseName =
        env.string(LEASE_NAME)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        LEASE_NAME + " must name the Lease to compete for"));
    return new DemoConfig(
        env.first(POD_NAME, "HOSTNAME").orElseGet(() -> "demo-" + UUID.randomUUID()),
        env.string(POD_NAMESPACE, "default"),
        leaseName,
        env.seconds(LEASE_DURATION_SECONDS, ElectionDefaults.LEASE_DURATION),
        env.seconds(RENEW_DEADLINE_SECONDS, ElectionDefaults.RENEW_DEADLINE),
        env.seconds(RETRY_PERIOD_SECONDS, ElectionDefaults.RETRY_PERIOD),
        env.bool(RELEASE_ON_CANCEL, true),
        env.string(LEADERDEMO_NAME, leaseName),
        env.string(LEADERDEMO_UID),
        env.port(HTTP_PORT, DemoPodEnvironment.DEFAULT_HTTP_PORT));
  }
}
