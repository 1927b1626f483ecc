package dev.leaderdemo.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LeaseReleaseTest {

  private static final ZonedDateTime ACQUIRED = ZonedDateTime.parse("2026-12-01T09:00:00Z");
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-01T10:00:00.5Z");

  private static Lease heldBy(String holder) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName("demo")
        .withNamespace("ns")
        .withResourceVersion("17")
        .addToLabels("app.kubernetes.io/instance", "demo")
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(holder)
        .withAcquireTime(ACQUIRED)
        .withRenewTime(NOW.minusSeconds(1))
        .withLeaseDurationSeconds(15)
        .withLeaseTransitions(4)
        .endSpec()
        .build();
  }

  @Test
  void theHolderReleasesAsClientGoDoes() {
    Lease held = heldBy("pod-a");

    Lease released = LeaseRelease.released(held, "pod-a", NOW).orElseThrow();

    assertThat(released.getSpec().getHolderIdentity()).isNull();
    assertThat(released.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(released.getSpec().getAcquireTime()).isEqualTo(NOW);
    assertThat(released.getSpec().getRenewTime()).isEqualTo(NOW);
    assertThat(released.getSpec().getLeaseTransitions()).isEqualTo(4);
    // the update is guarded by the version read: a Lease somebody took since is never overwritten
    assertThat(released.getMetadata().getResourceVersion()).isEqualTo("17");
    assertThat(released.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/instance", "demo");
  }

  @Test
  void nobodyReleasesALeaseTheyDoNotHold() {
    assertThat(LeaseRelease.released(heldBy("pod-b"), "pod-a", NOW)).isEmpty();
    assertThat(LeaseRelease.released(heldBy(null), "pod-a", NOW)).isEmpty();
    assertThat(LeaseRelease.released(new LeaseBuilder().build(), "pod-a", NOW)).isEmpty();
    assertThat(LeaseRelease.released(null, "pod-a", NOW)).isEmpty();
  }

  /**
   * An API server that takes the connection and never answers, as a hung one does: the release
   * gives up within its budget instead of holding the shutdown.
   */
  @Test
  void aHungApiServerCannotHoldTheReleaseBeyondItsBudget() throws IOException {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + hung.getLocalPort())
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
      LeaseRelease release =
          new LeaseRelease(client, Clock.system(ZoneOffset.UTC), "ns", "demo", "pod-a");

      boolean released =
          assertTimeoutPreemptively(
              LeaseRelease.BUDGET.plus(Duration.ofSeconds(8)), release::releaseIfHeld);

      assertThat(released).isFalse();
    }
  }
}
