package dev.leaderdemo.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class LocalKubeletTest {

  @Test
  void aPodsEnvironmentWithTheDownwardApiResolvedAndAPortOfItsOwn() {
    Pod pod = new PodBuilder().withNewMetadata().withName("demo-5f-x").withNamespace("team").endMetadata()
        .withNewSpec().addNewContainer().withName("demo")
        .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
        .endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("POD_NAMESPACE").withNewValueFrom().withNewFieldRef()
        .withFieldPath("metadata.namespace").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("LEASE_NAME").withValue("demo").endEnv()
        .endContainer().endSpec().build();

    assertThat(LocalKubelet.environment(pod)).containsEntry("POD_NAME", "demo-5f-x")
        .containsEntry("POD_NAMESPACE", "team").containsEntry("LEASE_NAME", "demo").containsEntry("HTTP_PORT", "0")
        .hasSize(4);
  }
}
