package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.api.LeaderDemoSpec;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeaseClaimsTest {

  private static LeaderDemo demo(String name, String created, String leaseName) {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace("ns")
            .withCreationTimestamp(created)
            .build());
    LeaderDemoSpec spec = new LeaderDemoSpec();
    spec.setLeaseName(leaseName);
    demo.setSpec(spec);
    return demo;
  }

  private static Optional<Lease> leaseOf(String leaderDemo) {
    return Optional.of(
        new LeaseBuilder()
            .withNewMetadata()
            .withName("shared")
            .withNamespace("ns")
            .withLabels(DemoLabels.lease(leaderDemo))
            .endMetadata()
            .build());
  }

  private final LeaderDemo older = demo("older", "2026-11-25T10:00:00Z", "shared");
  private final LeaderDemo newer = demo("newer", "2026-11-25T10:00:05Z", "shared");

  @Test
  void beforeTheLeaseExistsTheOldestLeaderDemoOwnsTheName() {
    List<LeaderDemo> both = List.of(older, newer);

    assertThat(LeaseClaims.claimedByAnother(older, Optional.empty(), both)).isEmpty();
    assertThat(LeaseClaims.claimedByAnother(newer, Optional.empty(), both)).contains("older");
  }

  @Test
  void theLeasesLabelSaysWhoClaimedItFirstWhateverTheAge() {
    List<LeaderDemo> both = List.of(older, newer);

    assertThat(LeaseClaims.claimedByAnother(newer, leaseOf("newer"), both)).isEmpty();
    assertThat(LeaseClaims.claimedByAnother(older, leaseOf("newer"), both)).contains("newer");
  }

  @Test
  void aClaimantThatIsGoneOrNamesAnotherLeaseNoLongerCounts() {
    LeaderDemo renamed = demo("older", "2026-11-25T10:00:00Z", "another");

    assertThat(LeaseClaims.claimedByAnother(newer, leaseOf("older"), List.of(newer))).isEmpty();
    assertThat(LeaseClaims.claimedByAnother(newer, leaseOf("older"), List.of(renamed, newer)))
        .isEmpty();
  }

  @Test
  void aLeaderDemoWhoseSpecCannotBeReadClaimsNothing() {
    LeaderDemo unreadable =
        new KubernetesSerialization()
            .unmarshal(
                "{\"apiVersion\":\"leaderdemo.dev/v1alpha1\","
                    + "\"kind\":\"LeaderDemo\",\"metadata\":{\"name\":\"broken\",\"namespace\":\"ns\",\"creationTimestamp\":"
                    + "\"2026-11-25T09:00:00Z\"},\"spec\":{\"leaseName\":\"shared\",\"replicas\":\"many\"}}",
                LeaderDemo.class);

    assertThat(unreadable.specProblem()).isPresent();
    assertThat(LeaseClaims.claimedByAnother(newer, Optional.empty(), List.of(unreadable, newer)))
        .isEmpty();
  }

  @Test
  void theSameAgeIsDecidedByNameSoThatEveryReplicaAgrees() {
    LeaderDemo a = demo("a", "2026-11-25T10:00:00Z", "shared");
    LeaderDemo b = demo("b", "2026-11-25T10:00:00Z", "shared");

    assertThat(LeaseClaims.claimedByAnother(a, Optional.empty(), List.of(a, b))).isEmpty();
    assertThat(LeaseClaims.claimedByAnother(b, Optional.empty(), List.of(b, a))).contains("a");
  }
}
