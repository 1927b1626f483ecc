package dev.leaderdemo.election;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** client-go's rules for the three timings, with the values named in the message. */
class LeaseElectorConfigTest {

  private static final ObjectMeta LEASE =
      new ObjectMetaBuilder().withNamespace("ns").withName("demo").build();

  private static LeaseElectorConfig config(int lease, int renew, int retry) {
    return new LeaseElectorConfig(
        LEASE,
        "pod-a",
        Duration.ofSeconds(lease),
        Duration.ofSeconds(renew),
        Duration.ofSeconds(retry),
        true);
  }

  @Test
  void clientGosTimingsAndTheTightestAllowedAreAccepted() {
    assertThatCode(() -> config(15, 10, 2)).doesNotThrowAnyException();
    // 3 s > 1.2 x 2 s: fabric8's elector (2.2 x) would refuse it
    assertThatCode(() -> config(4, 3, 2)).doesNotThrowAnyException();
  }

  @Test
  void theLeaseMustOutlastTheRenewDeadline() {
    assertThatThrownBy(() -> config(10, 10, 2))
        .hasMessage("leaseDuration (10s) must be greater than renewDeadline (10s)");
  }

  @Test
  void theRenewDeadlineMustLeaveRoomForARetry() {
    assertThatThrownBy(() -> config(15, 2, 2))
        .hasMessage("renewDeadline (2s) must be greater than 1.2 x retryPeriod (2s)");
  }

  @Test
  void anIdentityIsNeeded() {
    assertThatThrownBy(
            () ->
                new LeaseElectorConfig(
                    LEASE,
                    " ",
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(2),
                    true))
        .hasMessage("the identity must not be empty");
  }
}
