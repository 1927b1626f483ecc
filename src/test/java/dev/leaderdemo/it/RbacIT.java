package dev.leaderdemo.it;

import dev.leaderdemo.local.LocalCluster;
import dev.leaderdemo.local.LocalProcesses;

import static dev.leaderdemo.it.ItSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.local.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RBAC as shipped in k8s/: applied with `make deploy`, then the operator runs locally as the ServiceAccount it
 * would run as in a pod (impersonated), and the demo app in real pods as its own, with nothing more than those grant.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacIT {

  private static final String SYSTEM_NS = "leaderdemo-system";
  private static final String OPERATOR_SA = "system:serviceaccount:" + SYSTEM_NS + ":leaderdemo-operator";
  private static final String IMG = "registry.example/leaderdemo:rbac";
  private static LocalCluster cluster;
  private static KubernetesClient client;
  private static LocalProcesses processes;
  private static String shippedClusterRole;

  @BeforeAll
  static void deploy() throws Exception {
    cluster = SharedCluster.get();
    client = cluster.client();
    processes = new LocalProcesses(cluster.kubeconfig(), Path.of("target/it/logs/rbac"));
    cluster.make("deploy", "IMG=" + IMG);
    shippedClusterRole = Files.readString(LocalCluster.projectDir().resolve("k8s/clusterrole.yaml"));
  }

  @AfterAll
  static void stop() {
    processes.close();
    cluster.kubectlWithInput(shippedClusterRole, "apply", "-f", "-");
    // its operator pods never start (no such image here): nothing of them may outlive the class
    cluster.undeploy();
    client.close();
  }

  @Test
  @Order(1)
  void makeDeployAppliesTheOperatorWithTheImage() {
    Deployment operator = client.apps().deployments().inNamespace(SYSTEM_NS).withName("leaderdemo-operator").get();
    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    var container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(IMG);
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple("DEMO_IMAGE", IMG));
    assertThat(client.serviceAccounts().inNamespace(SYSTEM_NS).withName("leaderdemo-operator").get()).isNotNull();
    assertThat(client.rbac().clusterRoleBindings().withName("leaderdemo-operator").get().getSubjects())
        .singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("leaderdemo-operator"));
    // their image is not on the node, so they never start: the operators under test are the processes below
    await("the operator's pods", Duration.ofSeconds(60)).until(() -> client.pods()
        .inNamespace(SYSTEM_NS).withLabel("app.kubernetes.io/name", "leaderdemo-operator").list().getItems()
        .size() == 2);
  }

  @Test
  @Order(2)
  void asItsServiceAccountTheOperatorReconcilesAndTheDemoAppHoldsItsLease() {
    String ns = "rbac-full";
    ItSupport.createNamespace(client, ns);
    LocalProcess operator = operatorAsServiceAccount("operator-rbac-full", "rbac-full", LocalCluster.IMAGE);
    cluster.kubectl("apply", "-n", ns, "-f", LocalCluster.projectDir().resolve("samples/leaderdemo.yaml").toString())
        .assertSuccess();
    await("a full reconcile as the operator's ServiceAccount", Duration.ofSeconds(60)).until(() -> {
      LeaderDemo demo = ItSupport.leaderDemo(client, ns, "leader-election-demo");
      return demo.getStatus() != null && "operator-rbac-full".equals(demo.getStatus().getOperatorLeader())
          && client.apps().deployments().inNamespace(ns).withName("leader-election-demo").get() != null
          && client.rbac().roleBindings().inNamespace(ns).withName("leader-election-demo").get() != null;
    });

    // the demo pod runs as the demo ServiceAccount, with its token, through the kubernetes Service
    String leader = await("a demo pod, as the demo ServiceAccount, leading", Duration.ofSeconds(180)).until(() ->
        ItSupport.leaderDemo(client, ns, "leader-election-demo").getStatus().getLeader(), Objects::nonNull);
    await("its LeaderElection event", Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace(ns)
        .list().getItems().stream().anyMatch(e -> "LeaderElection".equals(e.getReason())
            && e.getMessage().equals(leader + " became leader")));
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
    assertThat(cluster.kubectl("logs", "-n", ns, leader).assertSuccess().stdout()).doesNotContainIgnoringCase(
        "forbidden");
    cluster.kubectl("delete", "leaderdemo", "leader-election-demo", "-n", ns).assertSuccess();
    operator.terminate();
    assertThat(operator.waitForExit(Duration.ofSeconds(30))).isTrue();
    cluster.kubectl("delete", "namespace", ns, "--timeout=120s").assertSuccess();
  }

  static Stream<Integer> ruleIndexes() throws IOException {
    String yaml = Files.readString(LocalCluster.projectDir().resolve("k8s/clusterrole.yaml"));
    return IntStream.range(0, Serialization.unmarshal(yaml, ClusterRole.class).getRules().size()).boxed();
  }

  @ParameterizedTest(name = "without rule {0}")
  @MethodSource("ruleIndexes")
  @Order(3)
  void everyRuleOfTheClusterRoleIsNeeded(int index) {
    ClusterRole role = Serialization.unmarshal(shippedClusterRole, ClusterRole.class);
    List<PolicyRule> rules = new ArrayList<>(role.getRules());
    PolicyRule removed = rules.remove(index);
    role.setRules(rules);
    cluster.kubectlWithInput(Serialization.asYaml(role), "apply", "-f", "-").assertSuccess();

    String ns = "rbac-rule-" + index;
    ItSupport.createNamespace(client, ns);
    LocalProcess operator = operatorAsServiceAccount("operator-rbac-" + index, "rbac-rule-" + index, IMG);
    cluster.kubectlWithInput(ItSupport.leaderDemoYaml("demo", 1), "apply", "-n", ns, "-f", "-").assertSuccess();
    await("a failure without " + removed.getResources() + " " + removed.getVerbs(), Duration.ofSeconds(90))
        .until(() -> !operator.isAlive() || operator.log().toLowerCase().contains("forbidden")
            || operator.log().contains("No permission to lease resource"));
    operator.kill();
    cluster.kubectl("delete", "leaderdemo", "demo", "-n", ns).assertSuccess();
    cluster.kubectl("delete", "namespace", ns, "--timeout=120s").assertSuccess();
  }

  private static LocalProcess operatorAsServiceAccount(String identity, String leaseName, String demoImage) {
    Map<String, String> env = new HashMap<>(ItSupport.OPERATOR_TIMINGS);
    env.put("DEMO_IMAGE", demoImage);
    env.put("LEADER_ELECTION_LEASE_NAME", leaseName);
    env.put("KUBERNETES_IMPERSONATE_USERNAME", OPERATOR_SA);
    env.put("KUBERNETES_IMPERSONATE_GROUP", "system:serviceaccounts,system:serviceaccounts:" + SYSTEM_NS);
    return processes.operator(identity, SYSTEM_NS, env);
  }
}
