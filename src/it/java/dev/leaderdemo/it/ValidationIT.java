package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.testkit.LeaderDemoYaml;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalCluster.Kubectl.Result;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the API server refuses, as a user sees it through kubectl apply; and that a refusal leaves
 * nothing.
 */
class ValidationIT {

  private static final String NS = "validation-it";
  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  @BeforeAll
  static void start() {
    namespace.processes().operator("operator-validation", NS, ItSupport.OPERATOR_TIMINGS);
  }

  static Stream<Arguments> badSpecs() {
    return Stream.of(
        Arguments.of("replicas: 0", "spec.replicas", "should be greater than or equal to 1"),
        Arguments.of("replicas: 51", "spec.replicas", "should be less than or equal to 50"),
        Arguments.of(
            "leaseDurationSeconds: 0", "spec.leaseDurationSeconds", "greater than or equal to 1"),
        Arguments.of(
            "renewDeadlineSeconds: 0", "spec.renewDeadlineSeconds", "greater than or equal to 1"),
        Arguments.of(
            "retryPeriodSeconds: 0", "spec.retryPeriodSeconds", "greater than or equal to 1"),
        Arguments.of(
            "leaseName: Not_A_DNS_Name", "spec.leaseName", "leaseName must be a DNS subdomain"),
        Arguments.of(
            "leaseName: ends-with-dash-", "spec.leaseName", "leaseName must be a DNS subdomain"),
        Arguments.of(
            "leaseName: " + "a".repeat(254), "spec.leaseName", "leaseName must be a DNS subdomain"),
        Arguments.of(
            "leaseDurationSeconds: 10\n  renewDeadlineSeconds: 10",
            "spec",
            "leaseDurationSeconds must be greater than renewDeadlineSeconds"),
        Arguments.of(
            "renewDeadlineSeconds: 2\n  retryPeriodSeconds: 2",
            "spec",
            "renewDeadlineSeconds must be greater than 1.2 x retryPeriodSeconds"),
        Arguments.of(
            "imagePullPolicy: Sometimes",
            "spec.imagePullPolicy",
            "imagePullPolicy must be one of Always, IfNotPresent, Never"),
        Arguments.of("replicas: three", "spec.replicas", "must be of type integer"),
        Arguments.of("releaseOnCancel: maybe", "spec.releaseOnCancel", "must be of type boolean"),
        Arguments.of("leaderCount: 2", "spec.leaderCount", "unknown field"),
        Arguments.of(
            "leaseDurationSeconds: 2147483648",
            "spec.leaseDurationSeconds",
            "should be less than or equal to 300"),
        Arguments.of(
            "leaseDurationSeconds: 1000000",
            "spec.leaseDurationSeconds",
            "should be less than or equal to 300"),
        Arguments.of(
            "renewDeadlineSeconds: 301",
            "spec.renewDeadlineSeconds",
            "should be less than or equal to 300"),
        Arguments.of(
            "retryPeriodSeconds: 301",
            "spec.retryPeriodSeconds",
            "should be less than or equal to 300"),
        Arguments.of("image: ''", "spec.image", "image must be an image reference"),
        Arguments.of("image: 'leaderdemo :dev'", "spec.image", "image must be an image reference"),
        Arguments.of(
            "resources:\n    limits:\n      memory: -1",
            "spec.resources.limits.memory",
            "must be a non-negative quantity"),
        Arguments.of(
            "resources:\n    requests:\n      cpu: lots",
            "spec.resources.requests.cpu",
            "must be a non-negative quantity"),
        Arguments.of(
            "resources:\n    requests:\n      memory: 1Gi\n    limits:\n      memory: 512Mi",
            "spec.resources",
            "must be less than or equal to the same resource in resources.limits"),
        Arguments.of(
            "resources:\n    limits:\n      nvidia.com/gpu: 1",
            "spec.resources.limits.nvidia.com/gpu",
            "unknown field"),
        Arguments.of(
            "resources:\n    claims: [{name: gpu}]", "spec.resources.claims", "unknown field"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSpecs")
  void kubectlApplyRefusesABadSpecNamingTheFieldAndTheRule(
      String specLine, String field, String rule) {
    String name = "bad-" + Integer.toHexString(specLine.hashCode() & 0xfffffff);
    Result result = namespace.cluster().apply(NS, LeaderDemoYaml.named(name).spec(specLine).yaml());
    System.out.println(
        "kubectl apply with " + specLine.replace('\n', ' ') + ": " + result.stderr().trim());
    assertThat(result.exitCode()).as(result.stdout()).isNotZero();
    assertThat(result.stderr()).contains(field).contains(rule);
    assertThat(namespace.cluster().kubectl("get", "leaderdemo", name, "-n", NS).stderr())
        .contains("NotFound");
  }

  @Test
  void kubectlApplyRefusesANameTooLongForTheLabelsItBecomes() {
    String name = "n".repeat(64);
    Result result = namespace.cluster().apply(NS, LeaderDemoYaml.named(name).replicas(1).yaml());
    System.out.println("kubectl apply with a 64-character name: " + result.stderr().trim());
    assertThat(result.exitCode()).as(result.stdout()).isNotZero();
    assertThat(result.stderr()).contains("metadata.name must be at most 63 characters");
    assertThat(namespace.cluster().kubectl("get", "leaderdemo", name, "-n", NS).stderr())
        .contains("NotFound");

    namespace
        .cluster()
        .apply(NS, LeaderDemoYaml.named(name.substring(1)).replicas(1).yaml(), "--dry-run=server")
        .assertSuccess();
  }

  @Test
  void theSampleAppliesAndNothingOfTheRefusedOnesWasCreated() {
    namespace
        .cluster()
        .kubectl("apply", "-n", NS, "-f", LocalCluster.sample().toString())
        .assertSuccess();
    await("the sample's Deployment", Duration.ofSeconds(60))
        .until(() -> namespace.deployment("leader-election-demo") != null);
    assertThat(
            namespace
                .client()
                .resources(dev.leaderdemo.api.LeaderDemo.class)
                .inNamespace(NS)
                .list()
                .getItems())
        .extracting(d -> d.getMetadata().getName())
        .containsExactly("leader-election-demo");
    for (List<? extends HasMetadata> made :
        List.of(
            namespace.client().apps().deployments().inNamespace(NS).list().getItems(),
            namespace.client().rbac().roles().inNamespace(NS).list().getItems(),
            namespace.client().rbac().roleBindings().inNamespace(NS).list().getItems())) {
      assertThat(made)
          .extracting(o -> o.getMetadata().getName())
          .containsExactly("leader-election-demo");
    }
    assertThat(namespace.client().serviceAccounts().inNamespace(NS).list().getItems())
        .extracting(o -> o.getMetadata().getName())
        .containsOnly("default", "leader-election-demo");
  }
}
