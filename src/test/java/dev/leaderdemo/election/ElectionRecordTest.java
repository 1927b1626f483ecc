package dev.leaderdemo.election;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** The Lease fields as client-go writes them, so that `kubectl get lease` reads the same. */
class ElectionRecordTest {

  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final ZonedDateTime ACQUIRED = ZonedDateTime.parse("2026-12-01T09:00:00Z");
  private static final ZonedDateTime NOW = ZonedDateTime.parse("2026-12-01T10:00:00.25Z");

  @Test
  void aNewLeaseIsAcquiredAndRenewedNowWithNoTransition() {
    ObjectNode spec = ElectionRecord.first("pod-a", LEASE, NOW).toSpec(null);

    assertThat(spec.toString())
        .isEqualTo(
            "{\"holderIdentity\":\"pod-a\",\"leaseDurationSeconds\":15,"
                + "\"acquireTime\":\"2026-12-01T10:00:00.250000Z\","
                + "\"renewTime\":\"2026-12-01T10:00:00.250000Z\",\"leaseTransitions\":0}");
    assertThat(ElectionRecord.of(spec)).isEqualTo(new ElectionRecord("pod-a", 15, NOW, NOW, 0));
  }

  @Test
  void writingTheRecordKeepsTheFieldsElectionDoesNotOwn() throws Exception {
    JsonNode seen =
        new ObjectMapper()
            .readTree(
                "{\"holderIdentity\":\"pod-a\",\"leaseDurationSeconds\":15,"
                    + "\"preferredHolder\":\"pod-b\",\"strategy\":\"OldestEmulationVersion\"}");

    ObjectNode written = ElectionRecord.of(seen).claimedBy("pod-b", LEASE, NOW).toSpec(seen);

    assertThat(written.get("holderIdentity").asText()).isEqualTo("pod-b");
    assertThat(written.get("preferredHolder").asText()).isEqualTo("pod-b");
    assertThat(written.get("strategy").asText()).isEqualTo("OldestEmulationVersion");
    assertThat(seen.get("holderIdentity").asText())
        .as("the Lease seen is left as it was")
        .isEqualTo("pod-a");
  }

  @Test
  void aRenewalMovesOnlyTheRenewTime() {
    ElectionRecord held = new ElectionRecord("pod-a", 15, ACQUIRED, ACQUIRED.plusSeconds(2), 4);

    assertThat(held.claimedBy("pod-a", LEASE, NOW))
        .isEqualTo(new ElectionRecord("pod-a", 15, ACQUIRED, NOW, 4));
  }

  @Test
  void aChangeOfHolderSetsAcquireTimeAndCountsATransition() {
    ElectionRecord held = new ElectionRecord("pod-a", 15, ACQUIRED, ACQUIRED.plusSeconds(2), 4);

    assertThat(held.claimedBy("pod-b", LEASE, NOW))
        .isEqualTo(new ElectionRecord("pod-b", 15, NOW, NOW, 5));
  }

  @Test
  void takingAReleasedLeaseCountsATransitionToo() {
    ElectionRecord released = new ElectionRecord("", 1, ACQUIRED, ACQUIRED, 4);

    assertThat(released.claimedBy("pod-b", LEASE, NOW))
        .isEqualTo(new ElectionRecord("pod-b", 15, NOW, NOW, 5));
  }

  @Test
  void aMissingHolderReadsAsReleased() throws Exception {
    JsonNode spec = new ObjectMapper().readTree("{\"leaseDurationSeconds\":1}");

    ElectionRecord record = ElectionRecord.of(spec);

    assertThat(record.held()).isFalse();
    assertThat(record.holderIdentity()).isEmpty();
    assertThat(ElectionRecord.of(null).held()).isFalse();
  }
}
