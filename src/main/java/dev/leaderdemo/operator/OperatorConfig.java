package dev.leaderdemo.operator;

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

  /**
   * @param hostname makes the fallback identity readable outside a pod; a random suffix keeps it
   *     unique
   */
  public static OperatorConfig fromEnvironment(Map<String, String> env, String hostname) {
    String identity =
        value(env, ENV_POD_NAME)
            .orElseGet(() -> hostname + "-" + UUID.randomUUID().toString().substring(0, 8));
    Optional<String> namespace = value(env, ENV_POD_NAMESPACE);
    String leaseName = value(env, ENV_LEASE_NAME).orElse(DEFAULT_LEASE_NAME);
    Duration leaseDuration = duration(env, ENV_LEASE_DURATION, Duration.ofSeconds(15));
    Duration renewDeadline = duration(env, ENV_RENEW_DEADLINE, Duration.ofSeconds(10));
    Duration retryPeriod = duration(env, ENV_RETRY_PERIOD, Duration.ofSeconds(2));
    boolean releaseOnShutdown = bool(env, ENV_RELEASE_ON_SHUTDOWN, true);
    String demoImage = value(env, ENV_DEMO_IMAGE).orElse(DEFAULT_DEMO_IMAGE);
    int httpPort = port(env, ENV_HTTP_PORT, 8081);
    if (leaseDuration.compareTo(renewDeadline) <= 0) {
      throw new IllegalArgumentException(
          ENV_LEASE_DURATION
              + " ("
              + leaseDuration.toMillis()
              + "ms) must be greater "
              + "than "
              + ENV_RENEW_DEADLINE
              + " ("
              + renewDeadline.toMillis()
              + "ms)");
    }
    if (renewDeadline.toMillis() * 10 <= retryPeriod.toMillis() * 22) {
      throw new IllegalArgumentException(
          ENV_RENEW_DEADLINE
              + " ("
              + renewDeadline.toMillis()
              + "ms) must be greater "
              + "than 2.2 x "
              + ENV_RETRY_PERIOD
              + " ("
              + retryPeriod.toMillis()
              + "ms)");
    }
    return new OperatorConfig(
        identity,
        namespace,
        leaseName,
        leaseDuration,
        renewDeadline,
        retryPeriod,
        releaseOnShutdown,
        demoImage,
        httpPort);
  }

  private static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** Accepts "15", "15s" or "1500ms"; a bare number means seconds. */
  static Duration duration(Map<String, String> env, String name, Duration fallback) {
    Optional<String> raw = value(env, name);
    if (raw.isEmpty()) {
      return fallback;
    }
    String v = raw.get();
    try {
      Duration d;
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d =
            Duration.ofMillis(
                Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got '" + v + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a duration such as 15, 15s or 1500ms, got '" + v + "'");
    }
  }

  private static boolean bool(Map<String, String> env, String name, boolean fallback) {
    Optional<String> raw = value(env, name);
    if (raw.isEmpty()) {
      return fallback;
    }
    if (!raw.get().equalsIgnoreCase("true") && !raw.get().equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(name + " must be true or false, got '" + raw.get() + "'");
    }
    return Boolean.parseBoolean(raw.get());
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    Optional<String> raw = value(env, name);
    if (raw.isEmpty()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(raw.get());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a port number from 0 to 65535, got '" + raw.get() + "'");
    }
  }
}
