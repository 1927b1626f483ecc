package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leaderdemo.ManualClock;
import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.apiserver.ApiServer;
import dev.leaderdemo.apiserver.Json;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the watch of demo Leases turns into: a reconcile of the LeaderDemos a Lease belongs to for
 * what the status shows, never for a renewal, and a Lease of the fields the reconciler reads.
 */
class DemoLeaseEventSourceTest {

  private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final ResourceID DEMO = new ResourceID("demo", "ns");
  private static final ResourceID CLAIMANT = new ResourceID("other", "ns");

  private final List<ResourceID> reconciles = new ArrayList<>();
  private final Map<String, List<LeaderDemo>> claims =
      Map.of("ns/demo", List.of(leaderDemo("other")));
  private final ManualClock clock = new ManualClock(T0);
  private DemoLeaseEventSource source;

  @BeforeEach
  void setUp() {
    source =
        new DemoLeaseEventSource(
            ApiServer.forConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build()),
            key -> claims.getOrDefault(key, List.of()),
            clock);
    source.setEventHandler((Event event) -> reconciles.add(event.getRelatedCustomResourceID()));
  }

  @AfterEach
  void tearDown() {
    source.stop();
  }

  private static LeaderDemo leaderDemo(String name) {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").build());
    demo.setSpec(new LeaderDemoSpec());
    return demo;
  }

  /** A Lease as the API server sends it, managedFields included (the watch drops them). */
  private static JsonNode lease(String holder, Instant renewed, int transitions)
      throws IOException {
    return Json.read(
        """
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease",
         "metadata":{"name":"demo","namespace":"ns","uid":"u-1","resourceVersion":"%s",
           "labels":{"app.kubernetes.io/instance":"demo"},
           "managedFields":[{"manager":"demo","operation":"Update","fieldsV1":{"f:spec":{}}}]},
         "spec":{%s"leaseDurationSeconds":15,"acquireTime":"2026-11-25T10:00:00.000000Z",
           "renewTime":"%s","leaseTransitions":%d}}
        """
            .formatted(
                renewed.toEpochMilli(),
                holder == null ? "" : "\"holderIdentity\":\"" + holder + "\",",
                renewed.toString().replace("Z", ".000000Z"),
                transitions));
  }

  @Test
  void aNewLeaseReconcilesItsLabelledLeaderDemoAndEveryOneThatNamesIt() throws IOException {
    source.listed(List.of(lease("pod-a", T0, 1)));

    assertThat(reconciles).containsExactlyInAnyOrder(DEMO, CLAIMANT);
  }

  @Test
  void aRenewalReconcilesNothing() throws IOException {
    source.listed(List.of(lease("pod-a", T0, 1)));
    reconciles.clear();

    source.changed(lease("pod-a", T0.plusSeconds(2), 1));
    source.changed(lease("pod-a", T0.plusSeconds(4), 1));

    assertThat(reconciles).isEmpty();
    assertThat(source.getSecondaryResources(leaderDemo("demo")))
        .singleElement()
        .satisfies(
            l -> assertThat(l.getSpec().getRenewTime().toInstant()).isEqualTo(T0.plusSeconds(4)));
  }

  @Test
  void aRenewalOfAnExpiredLeaseReconcilesItsLeaderDemos() throws IOException {
    source.listed(List.of(lease("pod-a", T0, 1)));
    reconciles.clear();
    clock.advance(Duration.ofSeconds(20)); // past the 15 s lease: the status says expired

    source.changed(lease("pod-a", T0.plusSeconds(20), 1));

    assertThat(reconciles).containsExactlyInAnyOrder(DEMO, CLAIMANT);
  }

  @Test
  void aNewHolderOrARelease() throws IOException {
    source.listed(List.of(lease("pod-a", T0, 1)));
    reconciles.clear();

    source.changed(lease("pod-b", T0.plusSeconds(2), 2));
    source.changed(lease(null, T0.plusSeconds(3), 2));

    assertThat(reconciles).containsExactly(DEMO, CLAIMANT, DEMO, CLAIMANT);
  }

  @Test
  void aDeletedLeaseOrOneMissingFromAListIsGone() throws IOException {
    source.listed(List.of(lease("pod-a", T0, 1)));
    source.deleted(lease("pod-a", T0, 1));
    assertThat(source.getSecondaryResources(leaderDemo("demo"))).isEmpty();

    source.listed(List.of(lease("pod-a", T0, 1)));
    reconciles.clear();
    source.listed(List.of());

    assertThat(source.getSecondaryResources(leaderDemo("demo"))).isEmpty();
    assertThat(reconciles).containsExactlyInAnyOrder(DEMO, CLAIMANT);
  }

  @Test
  void theLeaseKeptHasTheFieldsTheReconcilerReadsAndNoManagedFields() throws IOException {
    source.listed(List.of(lease("pod-a", T0, 3)));

    Set<Lease> leases = source.getSecondaryResources(leaderDemo("demo"));
    assertThat(leases).hasSize(1);
    Lease lease = leases.iterator().next();
    assertThat(lease.getMetadata().getName()).isEqualTo("demo");
    assertThat(lease.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(lease.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "demo");
    assertThat(lease.getMetadata().getManagedFields()).isEmpty();
    assertThat(LeaseObservation.of(lease).holder()).contains("pod-a");
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(3);
    assertThat(lease.getSpec().getAcquireTime().toInstant()).isEqualTo(T0);
  }
}
