package dev.leaderdemo.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

  @Test
  void readsWhatTheDemoDeploymentSets() {
    DemoConfig config =
        DemoConfig.fromEnvironment(
            Map.of(
                "POD_NAME",
                "demo-5f7-abc",
                "POD_NAMESPACE",
                "team",
                "LEASE_NAME",
                "my-lease",
                "LEASE_DURATION_SECONDS",
                "8",
                "RENEW_DEADLINE_SECONDS",
                "5",
                "RETRY_PERIOD_SECONDS",
                "1",
                "RELEASE_ON_CANCEL",
                "false",
                "LEADERDEMO_NAME",
                "demo",
                "LEADERDEMO_UID",
                "u-1"));
    assertThat(config.identity()).isEqualTo("demo-5f7-abc");
    assertThat(config.namespace()).isEqualTo("team");
    assertThat(config.leaseName()).isEqualTo("my-lease");
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(8));
    assertThat(config.renewDeadline()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retryPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.releaseOnCancel()).isFalse();
    assertThat(config.leaderDemoName()).isEqualTo("demo");
    assertThat(config.leaderDemoUid()).contains("u-1");
    assertThat(config.httpPort()).isEqualTo(8080);
  }

  @Test
  void identityFallsBackToTheHostname() {
    DemoConfig config = DemoConfig.fromEnvironment(Map.of("HOSTNAME", "box-1", "LEASE_NAME", "l"));
    assertThat(config.identity()).isEqualTo("box-1");
    assertThat(config.namespace()).isEqualTo("default");
    assertThat(config.releaseOnCancel()).isTrue();
    assertThat(config.leaderDemoName()).isEqualTo("l");
    assertThat(config.leaderDemoUid()).isEmpty();
  }

  @Test
  void badValuesNameTheVariable() {
    assertThatThrownBy(() -> DemoConfig.fromEnvironment(Map.of()))
        .hasMessage("LEASE_NAME must name the Lease to compete for");
    assertThatThrownBy(
            () ->
                DemoConfig.fromEnvironment(Map.of("LEASE_NAME", "l", "RETRY_PERIOD_SECONDS", "0")))
        .hasMessage("RETRY_PERIOD_SECONDS must be a whole number of seconds, at least 1, got '0'");
    assertThatThrownBy(
            () -> DemoConfig.fromEnvironment(Map.of("LEASE_NAME", "l", "HTTP_PORT", "x")))
        .hasMessage("HTTP_PORT must be a port number from 0 to 65535, got 'x'");
    // the operator refuses the same value for its own boolean; both read them one way
    assertThatThrownBy(
            () -> DemoConfig.fromEnvironment(Map.of("LEASE_NAME", "l", "RELEASE_ON_CANCEL", "yes")))
        .hasMessage("RELEASE_ON_CANCEL must be true or false, got 'yes'");
  }
}
