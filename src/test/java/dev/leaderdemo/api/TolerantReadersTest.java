package dev.leaderdemo.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the informer does with LeaderDemos that a laxer CRD let through: read them, and say what is
 * wrong.
 */
class TolerantReadersTest {

  /** The serialization the operator's informers use. */
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  private LeaderDemo read(String spec, String status) {
    return serialization.unmarshal(
        "{\"apiVersion\":\"leaderdemo.dev/v1alpha1\",\"kind\":\"LeaderDemo\","
            + "\"metadata\":{\"name\":\"demo\",\"namespace\":\"ns\"},\"spec\":"
            + spec
            + (status == null ? "" : ",\"status\":" + status)
            + "}",
        LeaderDemo.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"leaseDurationSeconds\":2147483648}|spec.leaseDurationSeconds: 2147483648 is out of"
            + " range of a 32-bit integer (-2147483648 to 2147483647)",
        "{\"replicas\":\"three\"}|spec.replicas: \"three\" is not an integer",
        "{\"releaseOnCancel\":\"maybe\"}|spec.releaseOnCancel: \"maybe\" is not a boolean (true or"
            + " false)",
        "{\"replicas\":[1]}|spec.replicas: expected an integer, not a list",
        "{\"resources\":{\"limits\":[\"1Gi\"]}}|spec.resources.limits: expected an object"
            + " (ResourceAmounts)",
        "\"just a string\"|spec: expected an object (LeaderDemoSpec)",
      })
  void aSpecThatDoesNotFitIsReadAndNamesTheField(String spec, String problem) {
    LeaderDemo demo = read(spec, null);

    assertThat(demo.getMetadata().getName()).isEqualTo("demo");
    assertThat(demo.specProblem()).contains(problem);
  }

  @Test
  void anUnreadableSpecIsWrittenBackAsItWasRead() {
    LeaderDemo demo = read("{\"replicas\":\"three\",\"leaseName\":\"x\"}", null);

    assertThat(serialization.asJson(demo))
        .contains("\"spec\":{\"replicas\":\"three\",\"leaseName\":\"x\"}");
  }

  @Test
  void unknownFieldsAreIgnoredAndAGoodSpecHasNoProblem() {
    LeaderDemo demo =
        read(
            "{\"replicas\":2,\"leaderCount\":3,\"resources\":{\"limits\":{\"memory\":\"64Mi\","
                + "\"gpu\":1}}}",
            null);

    assertThat(demo.specProblem()).isEmpty();
    assertThat(demo.getSpec().getReplicas()).isEqualTo(2);
    assertThat(demo.getSpec().getResources().getLimits().getMemory().toString()).isEqualTo("64Mi");
  }

  @Test
  void anUnreadableStatusIsDroppedAndTheSpecStillRead() {
    LeaderDemo demo = read("{\"replicas\":2}", "{\"leaseTransitions\":\"many\"}");

    assertThat(demo.getStatus()).isNull();
    assertThat(demo.getSpec().getReplicas()).isEqualTo(2);
  }
}
