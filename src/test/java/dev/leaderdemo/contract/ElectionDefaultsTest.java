package dev.leaderdemo.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemoSpec;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import org.junit.jupiter.api.Test;

class ElectionDefaultsTest {

  @Test
  void theCrdsWholeSecondsAreTheSdksDefaults() {
    assertThat(ElectionDefaults.LEASE_DURATION)
        .isEqualTo(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE)
        .hasSeconds(ElectionDefaults.LEASE_DURATION_SECONDS);
    assertThat(ElectionDefaults.RENEW_DEADLINE)
        .isEqualTo(LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE)
        .hasSeconds(ElectionDefaults.RENEW_DEADLINE_SECONDS);
    assertThat(ElectionDefaults.RETRY_PERIOD)
        .isEqualTo(LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE)
        .hasSeconds(ElectionDefaults.RETRY_PERIOD_SECONDS);
  }

  @Test
  void aSpecWithoutTimingsHasTheDefaults() {
    LeaderDemoSpec spec = new LeaderDemoSpec();
    assertThat(spec.getLeaseDurationSeconds()).isEqualTo(ElectionDefaults.LEASE_DURATION_SECONDS);
    assertThat(spec.getRenewDeadlineSeconds()).isEqualTo(ElectionDefaults.RENEW_DEADLINE_SECONDS);
    assertThat(spec.getRetryPeriodSeconds()).isEqualTo(ElectionDefaults.RETRY_PERIOD_SECONDS);
  }
}
