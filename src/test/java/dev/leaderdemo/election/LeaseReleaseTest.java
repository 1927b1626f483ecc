package dev.leaderdemo.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leaderdemo.apiserver.ApiServer;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class LeaseReleaseTest {

  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-01T10:00:00.5Z");

  @Test
  void theReleaseIsClientGosRecordGuardedByATestOfTheHolder() throws Exception {
    JsonNode patch = new ObjectMapper().readTree(LeaseRelease.releasePatch("pod-\"a\"", NOW));

    assertThat(patch).hasSize(5);
    // first, so that the API server applies nothing unless pod-"a" still holds the Lease
    JsonNode test = patch.get(0);
    assertThat(test.get("op").asText()).isEqualTo("test");
    assertThat(test.get("path").asText()).isEqualTo("/spec/holderIdentity");
    assertThat(test.get("value").asText()).isEqualTo("pod-\"a\"");
    assertThat(operation(patch, "/spec/holderIdentity", 1)).isEqualTo("\"\"");
    assertThat(operation(patch, "/spec/leaseDurationSeconds", 2)).isEqualTo("1");
    assertThat(operation(patch, "/spec/acquireTime", 3))
        .isEqualTo("\"2026-12-01T10:00:00.500000Z\"");
    assertThat(operation(patch, "/spec/renewTime", 4)).isEqualTo("\"2026-12-01T10:00:00.500000Z\"");
    // leaseTransitions is left as it is
    assertThat(patch.toString()).doesNotContain("leaseTransitions");
  }

  private static String operation(JsonNode patch, String path, int index) {
    JsonNode op = patch.get(index);
    assertThat(op.get("op").asText()).isEqualTo("add");
    assertThat(op.get("path").asText()).isEqualTo(path);
    return op.get("value").toString();
  }

  /**
   * An API server that takes the connection and never answers, as a hung one does: the release
   * gives up within its budget instead of holding the shutdown.
   */
  @Test
  void aHungApiServerCannotHoldTheReleaseBeyondItsBudget() throws IOException {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ApiServer api =
            ApiServer.forConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + hung.getLocalPort())
                    .build())) {
      LeaseRelease release =
          new LeaseRelease(api, Clock.system(ZoneOffset.UTC), "ns", "demo", "pod-a");

      boolean released =
          assertTimeoutPreemptively(
              LeaseRelease.BUDGET.plus(Duration.ofSeconds(8)), release::releaseIfHeld);

      assertThat(released).isFalse();
    }
  }
}
