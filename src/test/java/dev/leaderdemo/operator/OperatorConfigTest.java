package dev.leaderdemo.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void defaultsOutsideAPod() {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(), "laptop");
    assertThat(config.identity()).startsWith("laptop-").hasSize("laptop-".length() + 8);
    assertThat(OperatorConfig.fromEnvironment(Map.of(), "laptop").identity())
        .isNotEqualTo(config.identity());
    assertThat(config.namespace()).isEmpty();
    assertThat(config.leaseName()).isEqualTo("leaderdemo-operator");
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.httpPort()).isEqualTo(8081);
    assertThat(config.demoImage()).isEqualTo(OperatorConfig.DEFAULT_DEMO_IMAGE);
    assertThat(config.releaseOnShutdown()).isTrue();
  }

  @Test
  void inAPod() {
    OperatorConfig config =
        OperatorConfig.fromEnvironment(
            Map.of(
                "POD_NAME",
                "leaderdemo-operator-7c9-x2",
                "POD_NAMESPACE",
                "leaderdemo-system",
                "DEMO_IMAGE",
                "example.org/leaderdemo:1",
                "HTTP_PORT",
                "9000",
                "LEADER_ELECTION_LEASE_DURATION",
                "4s",
                "LEADER_ELECTION_RENEW_DEADLINE",
                "3",
                "LEADER_ELECTION_RETRY_PERIOD",
                "1000ms",
                "LEADER_ELECTION_RELEASE_ON_SHUTDOWN",
                "false"),
            "ignored");
    assertThat(config.identity()).isEqualTo("leaderdemo-operator-7c9-x2");
    assertThat(config.namespace()).contains("leaderdemo-system");
    assertThat(config.demoImage()).isEqualTo("example.org/leaderdemo:1");
    assertThat(config.httpPort()).isEqualTo(9000);
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(4));
    assertThat(config.renewDeadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.retryPeriod()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.releaseOnShutdown()).isFalse();
  }

  @Test
  void badValuesNameTheVariableAndTheRule() {
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(Map.of("LEADER_ELECTION_RETRY_PERIOD", "soon"), "h"))
        .hasMessage(
            "LEADER_ELECTION_RETRY_PERIOD must be a duration such as 15, 15s or 1500ms, got"
                + " 'soon'");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(Map.of("LEADER_ELECTION_LEASE_DURATION", "0"), "h"))
        .hasMessage("LEADER_ELECTION_LEASE_DURATION must be a positive duration, got '0'");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(Map.of("LEADER_ELECTION_LEASE_DURATION", "10"), "h"))
        .hasMessage(
            "LEADER_ELECTION_LEASE_DURATION (10000ms) must be greater than"
                + " LEADER_ELECTION_RENEW_DEADLINE (10000ms)");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(Map.of("LEADER_ELECTION_RENEW_DEADLINE", "4"), "h"))
        .hasMessage(
            "LEADER_ELECTION_RENEW_DEADLINE (4000ms) must be greater than 2.2 x"
                + " LEADER_ELECTION_RETRY_PERIOD (2000ms)");
    assertThatThrownBy(
            () ->
                OperatorConfig.fromEnvironment(
                    Map.of("LEADER_ELECTION_RELEASE_ON_SHUTDOWN", "y"), "h"))
        .hasMessage("LEADER_ELECTION_RELEASE_ON_SHUTDOWN must be true or false, got 'y'");
    assertThatThrownBy(() -> OperatorConfig.fromEnvironment(Map.of("HTTP_PORT", "70000"), "h"))
        .hasMessage("HTTP_PORT must be a port number from 0 to 65535, got '70000'");
  }
}
