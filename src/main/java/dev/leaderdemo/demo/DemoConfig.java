package dev.leaderdemo.demo;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The demo app's settings, read from the environment that the demo Deployment gives each pod.
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

  public static final String ENV_POD_NAME = "POD_NAME";
  public static final String ENV_POD_NAMESPACE = "POD_NAMESPACE";
  public static final String ENV_LEASE_NAME = "LEASE_NAME";
  public static final String ENV_LEASE_DURATION = "LEASE_DURATION_SECONDS";
  public static final String ENV_RENEW_DEADLINE = "RENEW_DEADLINE_SECONDS";
  public static final String ENV_RETRY_PERIOD = "RETRY_PERIOD_SECONDS";
  public static final String ENV_RELEASE_ON_CANCEL = "RELEASE_ON_CANCEL";
  public static final String ENV_LEADERDEMO_NAME = "LEADERDEMO_NAME";
  public static final String ENV_LEADERDEMO_UID = "LEADERDEMO_UID";
  public static final String ENV_HTTP_PORT = "HTTP_PORT";

  public static DemoConfig fromEnvironment(Map<String, String> env) {
    String leaseName =
        first(env, ENV_LEASE_NAME)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        ENV_LEASE_NAME + " must name the Lease to compete for"));
    return new DemoConfig(
        first(env, ENV_POD_NAME, "HOSTNAME").orElseGet(() -> "demo-" + UUID.randomUUID()),
        first(env, ENV_POD_NAMESPACE).orElse("default"),
        leaseName,
        seconds(env, ENV_LEASE_DURATION, 15),
        seconds(env, ENV_RENEW_DEADLINE, 10),
        seconds(env, ENV_RETRY_PERIOD, 2),
        Boolean.parseBoolean(first(env, ENV_RELEASE_ON_CANCEL).orElse("true")),
        first(env, ENV_LEADERDEMO_NAME).orElse(leaseName),
        first(env, ENV_LEADERDEMO_UID),
        integer(env, ENV_HTTP_PORT, 8080));
  }

  private static Optional<String> first(Map<String, String> env, String... names) {
    for (String name : names) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Optional.of(value.trim());
      }
    }
    return Optional.empty();
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String value = first(env, name).orElse(null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }

  private static Duration seconds(Map<String, String> env, String name, int fallback) {
    int seconds = integer(env, name, fallback);
    if (seconds < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }
}
