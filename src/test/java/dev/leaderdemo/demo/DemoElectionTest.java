package dev.leaderdemo.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoElectionTest {

  @Test
  void theLeaseIsLabelledForTheOperatorAndOwnedByItsLeaderDemo() {
    DemoConfig config =
        DemoConfig.fromEnvironment(
            Map.of(
                "POD_NAME",
                "p",
                "POD_NAMESPACE",
                "team",
                "LEASE_NAME",
                "my-lease",
                "LEADERDEMO_NAME",
                "demo",
                "LEADERDEMO_UID",
                "u-1"));
    ObjectMeta meta = DemoElection.leaseMetadata(config);

    assertThat(meta.getName()).isEqualTo("my-lease");
    assertThat(meta.getNamespace()).isEqualTo("team");
    assertThat(meta.getLabels())
        .containsEntry("app.kubernetes.io/instance", "demo")
        .containsEntry("app.kubernetes.io/part-of", "leaderdemo")
        .containsEntry("app.kubernetes.io/component", "lease");
    assertThat(meta.getOwnerReferences())
        .singleElement()
        .satisfies(
            owner -> {
              assertThat(owner.getApiVersion()).isEqualTo("leaderdemo.dev/v1alpha1");
              assertThat(owner.getKind()).isEqualTo("LeaderDemo");
              assertThat(owner.getName()).isEqualTo("demo");
              assertThat(owner.getUid()).isEqualTo("u-1");
            });
  }
}
