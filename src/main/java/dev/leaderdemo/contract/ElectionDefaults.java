package dev.leaderdemo.contract;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;

/**
 * The election's default timings, for the operator's own lease and for a LeaderDemo that names
 * none: JOSDK's (the same as client-go's and kube-controller-manager's). The whole seconds exist
 * because the CRD's defaults are annotation values, which must be constants; a test holds them
 * equal to the durations.
 */
public final class ElectionDefaults {

  public static final Duration LEASE_DURATION =
      LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE;
  public static final Duration RENEW_DEADLINE =
      LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE;
  public static final Duration RETRY_PERIOD =
      LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE;

  public static final int LEASE_DURATION_SECONDS = 15;
  public static final int RENEW_DEADLINE_SECONDS = 10;
  public static final int RETRY_PERIOD_SECONDS = 2;

  private ElectionDefaults() {}
}
