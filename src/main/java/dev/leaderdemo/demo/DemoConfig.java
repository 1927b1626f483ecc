package dev.leaderdemo.demo;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The demo app's settings, read from the environment that the demo Deployment gives each pod. */
public final class DemoConfig {

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

  private final String identity;
  private final String namespace;
  private final String leaseName;
  private final Duration leaseDuration;
  private final Duration renewDeadline;
  private final Duration retryPeriod;
  private final boolean releaseOnCancel;
  private final String leaderDemoName;
  private final String leaderDemoUid;
  private final int httpPort;

  private DemoConfig(Map<String, String> env) {
    this.identity = first(env, ENV_POD_NAME, "HOSTNAME").orElseGet(() -> "demo-" + UUID.randomUUID());
    this.namespace = first(env, ENV_POD_NAMESPACE).orElse("default");
    this.leaseName = first(env, ENV_LEASE_NAME).orElseThrow(() -> new IllegalArgumentException(
        ENV_LEASE_NAME + " must name the Lease to compete for"));
    this.leaseDuration = seconds(env, ENV_LEASE_DURATION, 15);
    this.renewDeadline = seconds(env, ENV_RENEW_DEADLINE, 10);
    this.retryPeriod = seconds(env, ENV_RETRY_PERIOD, 2);
    this.releaseOnCancel = Boolean.parseBoolean(first(env, ENV_RELEASE_ON_CANCEL).orElse("true"));
    this.leaderDemoName = first(env, ENV_LEADERDEMO_NAME).orElse(leaseName);
    this.leaderDemoUid = first(env, ENV_LEADERDEMO_UID).orElse(null);
    this.httpPort = integer(env, ENV_HTTP_PORT, 8080);
  }

  public static DemoConfig fromEnvironment(Map<String, String> env) {
    return new DemoConfig(env);
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

  public String identity() {
    return identity;
  }

  public String namespace() {
    return namespace;
  }

  public String leaseName() {
    return leaseName;
  }

  public Duration leaseDuration() {
    return leaseDuration;
  }

  public Duration renewDeadline() {
    return renewDeadline;
  }

  public Duration retryPeriod() {
    return retryPeriod;
  }

  public boolean releaseOnCancel() {
    return releaseOnCancel;
  }

  public String leaderDemoName() {
    return leaderDemoName;
  }

  public Optional<String> leaderDemoUid() {
    return Optional.ofNullable(leaderDemoUid);
  }

  public int httpPort() {
    return httpPort;
  }
}
