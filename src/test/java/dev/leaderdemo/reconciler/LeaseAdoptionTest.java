package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class LeaseAdoptionTest {

  @Test
  void theAdoptionNamesTheNewOwnerAndNoVersionToConflictWith() {
    LeaderDemo demo = new LeaderDemo();
    demo.setMetadata(
        new ObjectMetaBuilder()
            .withName("third")
            .withNamespace("ns")
            .withUid("uid-3")
            .withResourceVersion("42")
            .build());

    String patch = LeaseAdoption.adoption(demo);
    Lease applied = Serialization.unmarshal(patch, Lease.class);

    assertThat(applied.getMetadata().getLabels()).isEqualTo(DemoLabels.lease("third"));
    assertThat(applied.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("LeaderDemo");
              assertThat(ref.getName()).isEqualTo("third");
              assertThat(ref.getUid()).isEqualTo("uid-3");
            });
    assertThat(patch).doesNotContain("resourceVersion");
  }
}
