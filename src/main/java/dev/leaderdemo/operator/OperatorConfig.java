package dev.leaderdemo.operator;

import dev.leaderdemo.contract.ElectionDefaults;
import dev.leaderdemo.process.Environment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's settings, all from the environment, each with the default that `k8s/` relies on.
 *
 * @param namespace the lease's namespace; empty means the client's namespace
 * @param releaseOnShutdown false gives JOSDK's stock behaviour, which never releases: a standby
 *     then waits out the lease
 */
public record OperatorConfig(
    String identity,
    Optional<String> namespace,
    String leaseName,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    boolean releaseOnShutdown,
    String demoImage,
    int httpPort) {

  public static final String ENV_POD_NAME = "POD_NAME";
  public static final String ENV_POD_NAMESPACE = "POD_NAMESPACE";
  public static final String ENV_LEASE_NAME = "LEADER_ELECTION_LEASE_NAME";
  public static final String ENV_LEASE_DURATION = "LEADER_ELECTION_LEASE_DURATION";
  public static final String ENV_RENEW_DEADLINE = "LEADER_ELECTION_RENEW_DEADLINE";
  public static final String ENV_RETRY_PERIOD = "LEADER_ELECTION_RETRY_PERIOD";
  public static final String ENV_RELEASE_ON_SHUTDOWN = "LEADER_ELECTION_RELEASE_ON_SHUTDOWN";
  public static final String ENV_DEMO_IMAGE = "DEMO_IMAGE";
  public static final String ENV_HTTP_PORT = "HTTP_PORT";
  public static final String DEFAULT_LEASE_NAME = "leaderdemo-operator";
  public static final String DEFAULT_DEMO_IMAGE = "leaderdemo-operator:latest";
  public static final int DEFAULT_HTTP_PORT = 8081;

  /**
   * @param hostname makes the fallback identity readable outside a pod; a random suffix keeps it
   *     unique
   */
  public static OperatorConfig fromEnvironment(Map<String, String> variables, String hostname) {
    Environment env = new Environment(variables);
    String identity =
        env.string(ENV_POD_NAME)
            .orElseGet(() -> hostname + "-" + UUID.randomUUID().toString().substring(0, 8));
    Duration leaseDuration = env.duration(ENV_LEASE_DURATION, ElectionDefaults.LEASE_DURATION);
    Duration renewDeadline = env.duration(ENV_RENEW_DEADLINE, ElectionDefaults.RENEW_DEADLINE);
    Duration retryPeriod = env.duration(ENV_RETRY_PERIOD, ElectionDefaults.RETRY_PERIOD);
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException(
          String.format(
              "%s (%dms) must be greater than %s (%dms)",
              ENV_LEASE_DURATION,
              leaseDuration.toMillis(),
              ENV_RENEW_DEADLINE,
              renewDeadline.toMillis()));
    }
    if (renewDeadline.toMillis() * 10 <= retryPeriod.toMillis() * 22) {
      throw new IllegalArgumentException(
          String.format(
              "%s (%dms) must be greater than 2.2 x %s (%dms)",
              ENV_RENEW_DEADLINE,
              renewDeadline.toMillis(),
              ENV_RETRY_PERIOD,
              retryPeriod.toMillis()));
    }
    return new OperatorConfig(
        identity,
        env.string(ENV_POD_NAMESPACE),
        env.string(ENV_LEASE_NAME, DEFAULT_LEASE_NAME),
        leaseDuration,
        renewDeadline,
        retryPeriod,
        env.bool(ENV_RELEASE_ON_SHUTDOWN, true),
        env.string(ENV_DEMO_IMAGE, DEFAULT_DEMO_IMAGE),
        env.port(ENV_HTTP_PORT, DEFAULT_HTTP_PORT));
  }
}
