package dev.leaderdemo.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureMessageTest {

  private static final String LONG_NAME = "n".repeat(253);

  /**
   * What the API server answers for a Deployment whose label value is too long, as fabric8 wraps
   * it.
   */
  private static KubernetesClientException invalidDeployment() {
    String message =
        "Deployment.apps \""
            + LONG_NAME
            + "\" is invalid: spec.template.metadata.labels: Invalid "
            + "value: \""
            + LONG_NAME
            + "\": must be no more than 63 characters";
    return new KubernetesClientException(
        "Failure executing: PATCH at: https://10.244.0.1:6443/apis/apps/v1/"
            + "namespaces/ns/deployments/"
            + LONG_NAME
            + "?fieldManager=leaderdemo&force=true. Message: "
            + message,
        422,
        new StatusBuilder()
            .withCode(422)
            .withReason("Invalid")
            .withMessage(message)
            .withNewDetails()
            .withKind("Deployment")
            .withGroup("apps")
            .withName(LONG_NAME)
            .addNewCause()
            .withField("spec.template.metadata.labels")
            .withReason("FieldValueInvalid")
            .withMessage("Invalid value: \"" + LONG_NAME + "\": must be no more than 63 characters")
            .endCause()
            .endDetails()
            .build());
  }

  @Test
  void aRefusalSaysWhichObjectAndTheReasonFirstWithoutUrlOrLongNames() {
    String message =
        FailureMessage.of(
            new AggregatedOperatorException(
                "Exception(s) during workflow execution.",
                Map.of("deployment", invalidDeployment())));

    assertThat(message)
        .startsWith(
            "Deployment "
                + "n".repeat(40)
                + "... was refused (422 Invalid): "
                + "spec.template.metadata.labels: Invalid value: \""
                + "n".repeat(40)
                + "...\": must be no more than 63 "
                + "characters");
    assertThat(message).doesNotContain("https://", "\tat ", "Exception(s)").hasSizeLessThan(250);
  }

  @Test
  void theWrapperOfJosdksMetricsHidesNothing() {
    AggregatedOperatorException refused =
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.", Map.of("deployment", invalidDeployment()));

    assertThat(FailureMessage.of(new io.javaoperatorsdk.operator.OperatorException(refused)))
        .isEqualTo(FailureMessage.of(refused))
        .startsWith("Deployment ");
  }

  @Test
  void anUnreachableApiServerIsSaidSoWithoutItsUrl() {
    String message =
        FailureMessage.of(
            new KubernetesClientException(
                "Failure executing: GET at: "
                    + "https://10.244.0.1:6443/api/v1/namespaces/ns/serviceaccounts/x",
                new IOException("Connection refused: 10.244.0.1/10.244.0.1:6443\n\tat somewhere")));

    assertThat(message)
        .isEqualTo(
            "could not reach the API server: Connection refused: 10.244.0.1/10.244.0.1:6443");
  }

  @Test
  void anythingElseIsItsTypeAndFirstLine() {
    assertThat(FailureMessage.of(new IllegalStateException("no template\nmore lines")))
        .isEqualTo("IllegalStateException: no template");
  }
}
