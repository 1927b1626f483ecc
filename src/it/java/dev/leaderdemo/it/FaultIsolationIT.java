package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.testkit.LeaderDemoYaml;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
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
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);
  private static final List<LocalProcess> operators = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    installLaxCrd();
    // present before the replicas start: their informers' first list reads it
    apply(LeaderDemoYaml.named(OVERFLOW).spec("leaseDurationSeconds: 2147483648"));
    for (String id : List.of("operator-fault-a", "operator-fault-b")) {
      operators.add(namespace.processes().operator(id, NS, ItSupport.OPERATOR_TIMINGS));
    }
    apply(ItSupport.leaderDemoYaml("before", 1));
    // arriving through the watch
    apply(LeaderDemoYaml.named(WORDS).spec("replicas: three"));
    apply(LeaderDemoYaml.named(LONG_NAME).replicas(1));
    apply(ItSupport.leaderDemoYaml("after", 1));
  }

  @AfterAll
  static void stop() {
    try {
      namespace.close();
    } finally {
      namespace
          .cluster()
          .kubectl("apply", "--server-side", "--force-conflicts", "-f", CRD.toString())
          .assertSuccess();
      await("the real CRD to refuse a bad spec again", Duration.ofSeconds(60))
          .until(
              () ->
                  namespace
                          .cluster()
                          .apply(
                              "default",
                              LeaderDemoYaml.named("probe")
                                  .spec("leaseDurationSeconds: 2147483648")
                                  .yaml(),
                              "--dry-run=server")
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
                LeaderDemo demo = ItSupport.leaderDemo(namespace.client(), NS, name);
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
    // the workflow tries the three without dependencies at once (the RoleBinding waits for two of
    // them, the Deployment for it), and all three are refused
    assertThat(ready.getMessage())
        .isEqualTo(
            "Service"
                + refusal
                + "; spec.selector: Invalid value: \""
                + "n".repeat(40)
                + "...\": must be no more than 63 characters"
                + "; Role"
                + refusal
                + "; ServiceAccount"
                + refusal)
        .doesNotContain("https://", "\tat ", "Exception")
        .hasSizeLessThan(700);
    await("a ReconcileFailed Warning Event", Duration.ofSeconds(30))
        .until(
            () ->
                warnings(LONG_NAME, "ReconcileFailed").stream()
                    .anyMatch(e -> e.getMessage().equals(ready.getMessage())));
    // JOSDK retries, the same refusal comes again: one Event whose count grows, as kubectl shows it
    Event repeated =
        await("the ReconcileFailed Event counted again on a retry", Duration.ofSeconds(60))
            .until(
                () -> warnings(LONG_NAME, "ReconcileFailed"),
                events -> events.size() == 1 && events.get(0).getCount() >= 2)
            .get(0);
    assertThat(repeated.getMessage()).isEqualTo(ready.getMessage());
    assertThat(
            namespace
                .cluster()
                .kubectl("describe", "leaderdemo", LONG_NAME, "-n", NS)
                .assertSuccess()
                .stdout())
        .containsPattern("Warning\\s+ReconcileFailed\\s+.*\\(x\\d+ over .*\\)");
    assertThat(namespace.client().serviceAccounts().inNamespace(NS).withName(LONG_NAME).get())
        .isNull();
    assertThat(namespace.deployment(LONG_NAME)).isNull();
  }

  @Test
  @Order(4)
  void aStatusThatDoesNotFitIsReplacedWithAGoodOne() {
    var patched =
        namespace
            .cluster()
            .mergePatch(
                "leaderdemo",
                "before",
                NS,
                "{\"status\":{\"leaseTransitions\":\"many\",\"leader\":[\"nobody\"]}}",
                "--subresource=status",
                "-o",
                "jsonpath={.status.leader}")
            .assertSuccess();
    // what the API server stored, as its answer to the patch: the operator may rewrite it at once
    String leader = patched.stdout();
    assertThat(leader).contains("nobody");
    // a change of leader makes the operator write the status afresh
    String pod =
        namespace
            .client()
            .leases()
            .inNamespace(NS)
            .withName("before")
            .get()
            .getSpec()
            .getHolderIdentity();
    namespace.cluster().kubectl("delete", "pod", pod, "-n", NS, "--wait=false").assertSuccess();
    await("a readable status naming the new leader", Duration.ofSeconds(120))
        .until(
            () -> {
              String json =
                  namespace
                      .cluster()
                      .kubectl("get", "leaderdemo", "before", "-n", NS, "-o", "jsonpath={.status}")
                      .stdout();
              // (the deleted pod stays named in status.failovers, as the previous leader)
              return json.matches(".*\"leaseTransitions\":[0-9]+.*")
                  && json.matches(".*\"leader\":\"before-.*")
                  && !json.contains("\"leader\":\"" + pod + "\"");
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
    String leader =
        ItSupport.leaderDemo(namespace.client(), NS, "after").getStatus().getOperatorLeader();
    LocalProcess leading =
        operators.stream().filter(o -> o.name().equals(leader)).findFirst().orElseThrow();
    LocalProcess standby = operators.stream().filter(o -> o != leading).findFirst().orElseThrow();
    leading.terminate();
    assertThat(leading.waitForExit(Duration.ofSeconds(30)))
        .as(leading + " exits on SIGTERM")
        .isTrue();

    // the standby read the same bad objects into its caches; now it is the one to reconcile them
    apply(ItSupport.leaderDemoYaml("later", 1));
    await("the standby to reconcile a new LeaderDemo", Duration.ofSeconds(120))
        .until(
            () -> {
              LeaderDemo demo = ItSupport.leaderDemo(namespace.client(), NS, "later");
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
    assertThat(namespace.client().serviceAccounts().inNamespace(NS).withName(name).get()).isNull();
    assertThat(namespace.deployment(name)).isNull();
  }

  private static Condition ready(String name) {
    return ItSupport.condition(namespace.client(), NS, name, "Ready");
  }

  private static List<Event> warnings(String name, String reason) {
    return namespace.client().v1().events().inNamespace(NS).list().getItems().stream()
        .filter(
            e ->
                name.equals(e.getInvolvedObject().getName())
                    && "LeaderDemo".equals(e.getInvolvedObject().getKind())
                    && "Warning".equals(e.getType())
                    && reason.equals(e.getReason()))
        .toList();
  }

  private static void apply(LeaderDemoYaml demo) {
    namespace.cluster().apply(NS, demo.yaml()).assertSuccess();
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
    namespace
        .cluster()
        .kubectlWithInput(
            Serialization.asYaml(crd), "apply", "--server-side", "--force-conflicts", "-f", "-")
        .assertSuccess();
    await("the lax CRD to take a spec that does not fit", Duration.ofSeconds(60))
        .until(
            () ->
                Objects.equals(
                    0,
                    namespace
                        .cluster()
                        .apply(
                            NS,
                            LeaderDemoYaml.named(OVERFLOW)
                                .spec("leaseDurationSeconds: 2147483648")
                                .yaml(),
                            "--dry-run=server")
                        .exitCode()));
  }
}
