package dev.leaderdemo.it;

import static dev.leaderdemo.it.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One LeaderDemo the operator cannot read or cannot reconcile harms nobody else. Admission refuses
 * such objects today, so this test installs a deliberately lax copy of the CRD (spec and status
 * take anything, no name rule), as an older CRD or a hand edit would, and shows that two operator
 * replicas, leader and standby, keep serving every other LeaderDemo. The real CRD is put back at
 * the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultIsolationIT {

  private static final String NS = "fault-isolation-it";
  private static final Path CRD = LocalCluster.crdFile();

  /**
   * Does not fit a Java int: it stopped every replica's informer before the operator read specs
   * tolerantly.
   */
  private static final String OVERFLOW = "overflow";

  private static final String WORDS = "words";
  private static final String LONG_NAME = "n".repeat(100);

  private static TestNamespace namespace;
  private static LocalCluster cluster;
  private static KubernetesClient client;
  private static final List<LocalProcess> operators = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    namespace = new TestNamespace(NS);
    cluster = namespace.cluster;
    client = namespace.client;
    installLaxCrd();
    // present before the replicas start: their informers' first list reads it
    apply(OVERFLOW, "  leaseDurationSeconds: 2147483648\n");
    for (String id : List.of("operator-fault-a", "operator-fault-b")) {
      operators.add(namespace.processes.operator(id, NS, ItSupport.OPERATOR_TIMINGS));
    }
    apply(
        "before",
        "  replicas: 1\n"
            + "  leaseDurationSeconds: 4\n"
            + "  renewDeadlineSeconds: 3\n"
            + "  retryPeriodSeconds: 1\n");
    // arriving through the watch
    apply(WORDS, "  replicas: three\n");
    apply(LONG_NAME, "  replicas: 1\n");
    apply(
        "after",
        "  replicas: 1\n"
            + "  leaseDurationSeconds: 4\n"
            + "  renewDeadlineSeconds: 3\n"
            + "  retryPeriodSeconds: 1\n");
  }

  @AfterAll
  static void stop() {
    try {
      namespace.close();
    } finally {
      cluster
          .kubectl("apply", "--server-side", "--force-conflicts", "-f", CRD.toString())
          .assertSuccess();
      await("the real CRD to refuse a bad spec again", Duration.ofSeconds(60))
          .until(
              () ->
                  cluster
                          .kubectlWithInput(
                              yaml("probe", "  leaseDurationSeconds: 2147483648\n"),
                              "apply",
                              "--dry-run=server",
                              "-n",
                              "default",
                              "-f",
                              "-")
                          .exitCode()
                      != 0);
    }
  }

  @Test
  @Order(1)
  void theLeaderDemosAroundTheBadOnesAreReconciledToARunningLeader() {
    for (String name : List.of("before", "after")) {
      await(name + " to report a leader", Duration.ofSeconds(120))
          .until(
              () -> {
                LeaderDemo demo = ItSupport.leaderDemo(client, NS, name);
                return demo.getStatus() != null && demo.getStatus().getLeader() != null;
              });
    }
  }

  @Test
  @Order(2)
  void aSpecThatDoesNotFitTheModelGetsAStatusAndAWarningNamingTheField() {
    assertInvalidSpec(
        OVERFLOW,
        "spec.leaseDurationSeconds: 2147483648 is out of range of a 32-bit integer "
            + "(-2147483648 to 2147483647)");
    assertInvalidSpec(WORDS, "spec.replicas: \"three\" is not an integer");
  }

  @Test
  @Order(3)
  void aRefusedDependentIsNamedWithTheApiServersReasonAndLeavesNothing() {
    Condition ready =
        await("the long-named LeaderDemo's Ready condition", Duration.ofSeconds(60))
            .until(
                () -> ready(LONG_NAME), c -> c != null && "ReconcileFailed".equals(c.getReason()));
    System.out.println("status of the long-named LeaderDemo: " + ready.getMessage());
    String refusal =
        " "
            + "n".repeat(40)
            + "... was refused (422 Invalid): metadata.labels: Invalid value: \""
            + "n".repeat(40)
            + "...\": must be no more than 63 characters";
    // the workflow tries both at once, and both are refused
    assertThat(ready.getMessage())
        .isEqualTo("Role" + refusal + "; ServiceAccount" + refusal)
        .doesNotContain("https://", "\tat ", "Exception")
        .hasSizeLessThan(400);
    await("a ReconcileFailed Warning Event", Duration.ofSeconds(30))
        .until(
            () ->
                warnings(LONG_NAME, "ReconcileFailed").stream()
                    .anyMatch(e -> e.getMessage().equals(ready.getMessage())));
    assertThat(client.serviceAccounts().inNamespace(NS).withName(LONG_NAME).get()).isNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName(LONG_NAME).get()).isNull();
  }

  @Test
  @Order(4)
  void aStatusThatDoesNotFitIsReplacedWithAGoodOne() {
    var patched =
        cluster
            .kubectl(
                "patch",
                "leaderdemo",
                "before",
                "-n",
                NS,
                "--subresource=status",
                "--type=merge",
                "-p",
                "{\"status\":{\"leaseTransitions\":\"many\",\"leader\":[\"nobody\"]}}",
                "-o",
                "jsonpath={.status.leader}")
            .assertSuccess();
    // what the API server stored, as its answer to the patch: the operator may rewrite it at once
    String leader = patched.stdout();
    assertThat(leader).contains("nobody");
    // a change of leader makes the operator write the status afresh
    String pod =
        client.leases().inNamespace(NS).withName("before").get().getSpec().getHolderIdentity();
    cluster.kubectl("delete", "pod", pod, "-n", NS, "--wait=false").assertSuccess();
    await("a readable status naming the new leader", Duration.ofSeconds(120))
        .until(
            () -> {
              String json =
                  cluster
                      .kubectl("get", "leaderdemo", "before", "-n", NS, "-o", "jsonpath={.status}")
                      .stdout();
              return json.matches(".*\"leaseTransitions\":[0-9]+.*")
                  && json.matches(".*\"leader\":\"before-.*")
                  && !json.contains(pod);
            });
  }

  @Test
  @Order(5)
  void noReplicaExitedOrTurnedUnhealthyAndTheStandbyServesAfterTheLeaderGoes() {
    for (LocalProcess operator : operators) {
      assertThat(operator.isAlive()).as(operator + " alive").isTrue();
      assertThat(operator.http("/healthz").statusCode()).as(operator + " /healthz").isEqualTo(200);
      assertThat(operator.http("/readyz").statusCode()).as(operator + " /readyz").isEqualTo(200);
      assertThat(operator.log())
          .as(operator.name())
          .doesNotContain("Fatal error in informer")
          .doesNotContain("Couldn't start informer");
    }
    String leader = ItSupport.leaderDemo(client, NS, "after").getStatus().getOperatorLeader();
    LocalProcess leading =
        operators.stream().filter(o -> o.name().equals(leader)).findFirst().orElseThrow();
    LocalProcess standby = operators.stream().filter(o -> o != leading).findFirst().orElseThrow();
    leading.terminate();
    assertThat(leading.waitForExit(Duration.ofSeconds(30)))
        .as(leading + " exits on SIGTERM")
        .isTrue();

    // the standby read the same bad objects into its caches; now it is the one to reconcile them
    apply(
        "later",
        "  replicas: 1\n"
            + "  leaseDurationSeconds: 4\n"
            + "  renewDeadlineSeconds: 3\n"
            + "  retryPeriodSeconds: 1\n");
    await("the standby to reconcile a new LeaderDemo", Duration.ofSeconds(120))
        .until(
            () -> {
              LeaderDemo demo = ItSupport.leaderDemo(client, NS, "later");
              return demo.getStatus() != null
                  && standby.name().equals(demo.getStatus().getOperatorLeader())
                  && demo.getStatus().getLeader() != null;
            });
    assertThat(standby.isAlive()).isTrue();
  }

  private static void assertInvalidSpec(String name, String problem) {
    Condition ready =
        await(name + "'s Ready condition", Duration.ofSeconds(60))
            .until(() -> ready(name), c -> c != null && "InvalidSpec".equals(c.getReason()));
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage())
        .isEqualTo("the spec cannot be used, so nothing was changed: " + problem);
    await(name + "'s InvalidSpec Warning Event", Duration.ofSeconds(30))
        .until(
            () ->
                warnings(name, "InvalidSpec").stream()
                    .anyMatch(e -> e.getMessage().equals(ready.getMessage())));
    // nothing was made for it
    assertThat(client.serviceAccounts().inNamespace(NS).withName(name).get()).isNull();
    assertThat(client.apps().deployments().inNamespace(NS).withName(name).get()).isNull();
  }

  private static Condition ready(String name) {
    LeaderDemo demo = ItSupport.leaderDemo(client, NS, name);
    return demo == null || demo.getStatus() == null
        ? null
        : demo.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst()
            .orElse(null);
  }

  private static List<Event> warnings(String name, String reason) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(
            e ->
                name.equals(e.getInvolvedObject().getName())
                    && "LeaderDemo".equals(e.getInvolvedObject().getKind())
                    && "Warning".equals(e.getType())
                    && reason.equals(e.getReason()))
        .toList();
  }

  private static void apply(String name, String spec) {
    cluster.kubectlWithInput(yaml(name, spec), "apply", "-n", NS, "-f", "-").assertSuccess();
  }

  private static String yaml(String name, String spec) {
    return "apiVersion: leaderdemo.dev/v1alpha1\nkind: LeaderDemo\nmetadata:\n  name: "
        + name
        + "\nspec:\n"
        + spec;
  }

  /** The real CRD with spec and status open to anything and without the rule on names. */
  private static void installLaxCrd() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
    JSONSchemaProps root = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    JSONSchemaProps anything =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .build();
    root.getProperties().put("spec", anything);
    root.getProperties().put("status", anything);
    root.setXKubernetesValidations(null);
    cluster
        .kubectlWithInput(
            Serialization.asYaml(crd), "apply", "--server-side", "--force-conflicts", "-f", "-")
        .assertSuccess();
    await("the lax CRD to take a spec that does not fit", Duration.ofSeconds(60))
        .until(
            () ->
                Objects.equals(
                    0,
                    cluster
                        .kubectlWithInput(
                            yaml(OVERFLOW, "  leaseDurationSeconds: 2147483648\n"),
                            "apply",
                            "--dry-run=server",
                            "-n",
                            NS,
                            "-f",
                            "-")
                        .exitCode()));
  }
}
