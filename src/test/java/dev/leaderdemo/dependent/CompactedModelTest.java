package dev.leaderdemo.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactedModelTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static Deployment read() throws IOException {
    try (InputStream in =
        CompactedModelTest.class.getResourceAsStream("/golden/sample/deployment.yaml")) {
      return JSON.unmarshal(in, Deployment.class);
    }
  }

  @Test
  void aCompactedObjectSaysTheSameAsBefore() throws IOException {
    Deployment compacted = CompactedModel.compact(read());
    Deployment original = read();
    assertThat(compacted).isEqualTo(original);
    assertThat(JSON.asJson(compacted)).isEqualTo(JSON.asJson(original));
  }

  @Test
  void equalStringsAndEmptyMapsAreSharedAcrossObjects() throws IOException {
    Deployment a = CompactedModel.compact(read());
    Deployment b = CompactedModel.compact(read());
    assertThat(b.getApiVersion()).isSameAs(a.getApiVersion());
    var containerA = a.getSpec().getTemplate().getSpec().getContainers().get(0);
    var containerB = b.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(containerB.getEnv().get(0).getName()).isSameAs(containerA.getEnv().get(0).getName());
    assertThat(containerB.getImage()).isSameAs(containerA.getImage());
    assertThat(b.getMetadata().getLabels().get("app.kubernetes.io/name"))
        .isSameAs(a.getMetadata().getLabels().get("app.kubernetes.io/name"));
    assertThat(b.getMetadata().getAdditionalProperties()).isEmpty();
    assertThat(b.getMetadata().getAdditionalProperties())
        .isSameAs(a.getMetadata().getAdditionalProperties())
        .isSameAs(containerA.getAdditionalProperties());
  }

  @Test
  void unknownFieldsStayOnTheirObject() {
    ServiceAccount sa =
        JSON.unmarshal(
            "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"a\"},"
                + "\"futureField\":{\"x\":\"y\"}}",
            ServiceAccount.class);
    CompactedModel.compact(sa);
    assertThat(sa.getAdditionalProperties()).containsKey("futureField");
    assertThat(sa.getMetadata().getAdditionalProperties()).isEmpty();
  }

  @Test
  void listsAndMapsItDidNotReadAreLeftAsTheyAre() {
    ServiceAccount sa =
        new ServiceAccountBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(new String("a"))
                    .withFinalizers(List.of(new String("x")))
                    .build())
            .build();
    sa.getMetadata().setLabels(java.util.Map.of("k", new String("v")));
    CompactedModel.compact(sa);
    assertThat(sa.getMetadata().getFinalizers()).containsExactly("x");
    assertThat(sa.getMetadata().getLabels()).containsEntry("k", "v");
  }
}
