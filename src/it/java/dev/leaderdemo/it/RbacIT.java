package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.operator.OperatorConfig;
import dev.leaderdemo.testkit.LocalCluster;
import dev.leaderdemo.testkit.LocalProcesses;
import dev.leaderdemo.testkit.LocalProcesses.LocalProcess;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
 * RBAC as shipped in k8s/: applied with `make deploy`, then the operator runs locally as the
 * ServiceAccount it would run as in a pod (impersonated), and the demo app in real pods as its own,
 * with nothing more than those grant.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RbacIT {

  private static final String SYSTEM_NS = "leaderdemo-system";
  private static final String OPERATOR_SA =
      "system:serviceaccount:" + SYSTEM_NS + ":leaderdemo-operator";

  /**
   * What impersonation gives the operator: a ServiceAccount's groups (the API server adds
   * system:authenticated).
   */
  private static final List<String> OPERATOR_GROUPS =
      List.of(
          "system:serviceaccounts", "system:serviceaccounts:" + SYSTEM_NS, "system:authenticated");

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
    shippedClusterRole =
        Files.readString(LocalCluster.projectDir().resolve("k8s/clusterrole.yaml"));
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
    Deployment operator =
        client.apps().deployments().inNamespace(SYSTEM_NS).withName("leaderdemo-operator").get();
    assertThat(operator.getSpec().getReplicas()).isEqualTo(2);
    var container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(IMG);
    assertThat(container.getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .contains(org.assertj.core.groups.Tuple.tuple(OperatorConfig.ENV_DEMO_IMAGE, IMG));
    assertThat(
            client.serviceAccounts().inNamespace(SYSTEM_NS).withName("leaderdemo-operator").get())
        .isNotNull();
    assertThat(
            client.rbac().clusterRoleBindings().withName("leaderdemo-operator").get().getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("leaderdemo-operator"));
    // their image is not on the node, so they never start: the operators under test are the
    // processes below
    await("the operator's pods", Duration.ofSeconds(60))
        .until(
            () ->
                client
                        .pods()
                        .inNamespace(SYSTEM_NS)
                        .withLabel(DemoLabels.NAME, DemoLabels.OPERATOR)
                        .list()
                        .getItems()
                        .size()
                    == 2);
  }

  @Test
  @Order(2)
  void asItsServiceAccountTheOperatorReconcilesAndTheDemoAppHoldsItsLease() {
    String ns = "rbac-full";
    ItSupport.createNamespace(client, ns);
    awaitAuthorizer(
        Serialization.unmarshal(shippedClusterRole, ClusterRole.class).getRules(), null);
    LocalProcess operator =
        operatorAsServiceAccount("operator-rbac-full", "rbac-full", LocalCluster.IMAGE);
    cluster.kubectl("apply", "-n", ns, "-f", LocalCluster.sample().toString()).assertSuccess();
    await("a full reconcile as the operator's ServiceAccount", Duration.ofSeconds(60))
        .until(
            () -> {
              LeaderDemo demo = ItSupport.leaderDemo(client, ns, "leader-election-demo");
              return demo.getStatus() != null
                  && "operator-rbac-full".equals(demo.getStatus().getOperatorLeader())
                  && client
                          .apps()
                          .deployments()
                          .inNamespace(ns)
                          .withName("leader-election-demo")
                          .get()
                      != null
                  && client
                          .rbac()
                          .roleBindings()
                          .inNamespace(ns)
                          .withName("leader-election-demo")
                          .get()
                      != null;
            });

    // the demo pod runs as the demo ServiceAccount, with its token, through the kubernetes Service
    String leader =
        await("a demo pod, as the demo ServiceAccount, leading", Duration.ofSeconds(180))
            .until(
                () ->
                    ItSupport.leaderDemo(client, ns, "leader-election-demo")
                        .getStatus()
                        .getLeader(),
                Objects::nonNull);
    await("its LeaderElection event", Duration.ofSeconds(30))
        .until(
            () ->
                client.v1().events().inNamespace(ns).list().getItems().stream()
                    .anyMatch(
                        e ->
                            "LeaderElection".equals(e.getReason())
                                && e.getMessage().equals(leader + " became leader")));
    assertThat(operator.log()).doesNotContainIgnoringCase("forbidden");
    // the pod can lead before the kubelet has reported its container running, and kubectl logs
    // refuses a container it still sees as waiting
    String log =
        await("the leader's log", Duration.ofSeconds(30))
            .until(() -> cluster.kubectl("logs", "-n", ns, leader), r -> r.exitCode() == 0)
            .stdout();
    assertThat(log).contains(leader).doesNotContainIgnoringCase("forbidden");
    cluster.kubectl("delete", "leaderdemo", "leader-election-demo", "-n", ns).assertSuccess();
    operator.terminate();
    assertThat(operator.waitForExit(Duration.ofSeconds(30))).isTrue();
    cluster.kubectl("delete", "namespace", ns, "--timeout=120s").assertSuccess();
  }

  static Stream<Integer> ruleIndexes() throws IOException {
    String yaml = Files.readString(LocalCluster.projectDir().resolve("k8s/clusterrole.yaml"));
    return IntStream.range(0, Serialization.unmarshal(yaml, ClusterRole.class).getRules().size())
        .boxed();
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
    // the operator starts only once the authorizer refuses exactly this rule and grants all the
    // others
    awaitAuthorizer(rules, removed);

    String ns = "rbac-rule-" + index;
    ItSupport.createNamespace(client, ns);
    LocalProcess operator =
        operatorAsServiceAccount("operator-rbac-" + index, "rbac-rule-" + index, IMG);
    cluster.apply(ns, ItSupport.leaderDemoYaml("demo", 1).yaml()).assertSuccess();
    // not any crash nor any 403: the API server refusing a request that only the removed rule
    // allows
    List<Pattern> refusals =
        new ArrayList<>(List.of(refusal(removed, OPERATOR_SA, List.of(ns, SYSTEM_NS))));
    electionRefusal(removed, SYSTEM_NS).ifPresent(refusals::add);
    try {
      await("a request refused for want of " + describe(removed), Duration.ofSeconds(90))
          .until(() -> refusals.stream().anyMatch(p -> p.matcher(operator.log()).find()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage()
              + "; nothing matches "
              + refusals
              + " in "
              + operator.name()
              + "'s log:\n"
              + operator.log(),
          e);
    }
    operator.kill();
    cluster.kubectl("delete", "leaderdemo", "demo", "-n", ns).assertSuccess();
    cluster.kubectl("delete", "namespace", ns, "--timeout=120s").assertSuccess();
  }

  /**
   * The API server's words for a request refused to {@code user} that only {@code rule} would
   * allow: one of its verbs on one of its resources (a subresource as "resource/subresource") in
   * one of its API groups, in one of {@code namespaces} or at the cluster scope (k8s.io/apiserver
   * responsewriters.forbiddenMessage).
   */
  static Pattern refusal(PolicyRule rule, String user, List<String> namespaces) {
    return Pattern.compile(
        "User "
            + Pattern.quote("\"" + user + "\"")
            + " cannot "
            + anyOf(rule.getVerbs())
            + " resource \""
            + anyOf(rule.getResources())
            + "\" in API group \""
            + anyOf(rule.getApiGroups())
            + "\" (?:in the namespace \""
            + anyOf(namespaces)
            + "\"|at the cluster scope)");
  }

  /**
   * JOSDK checks its election lease with a SelfSubjectRulesReview before it first asks for it, so
   * that a rule granting leases can also be missed without a 403: it names the lease's namespace
   * and the verbs it lacks.
   */
  static java.util.Optional<Pattern> electionRefusal(PolicyRule rule, String leaseNamespace) {
    List<String> missing =
        List.of("create", "update", "get").stream().filter(rule.getVerbs()::contains).toList();
    if (!rule.getApiGroups().contains("coordination.k8s.io")
        || !rule.getResources().contains("leases")
        || missing.isEmpty()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        Pattern.compile(
            Pattern.quote(
                "No permission to lease resource. in namespace: "
                    + leaseNamespace
                    + "; missing required verbs: "
                    + missing)));
  }

  private static String anyOf(List<String> values) {
    return values.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")"));
  }

  private static String describe(PolicyRule rule) {
    return rule.getVerbs() + " " + rule.getResources() + " in API group " + rule.getApiGroups();
  }

  /**
   * Waits until the API server's authorizer answers as {@code granted} says for the operator's
   * ServiceAccount: every request of those rules allowed, every request of {@code removed} (if any)
   * refused. kubectl apply returns before the authorizer's cache has the new ClusterRole; an
   * operator started earlier would meet the old rules.
   */
  private static void awaitAuthorizer(List<PolicyRule> granted, PolicyRule removed) {
    await(
            "the authorizer to grant "
                + granted.size()
                + " rules"
                + (removed == null ? "" : " and refuse " + describe(removed)),
            Duration.ofSeconds(30))
        .until(
            () ->
                granted.stream().allMatch(rule -> requests(rule).stream().allMatch(RbacIT::allowed))
                    && (removed == null || requests(removed).stream().noneMatch(RbacIT::allowed)));
  }

  /**
   * Every request a rule allows, asked at the cluster scope (a ClusterRoleBinding grants it
   * everywhere).
   */
  private static List<SubjectAccessReview> requests(PolicyRule rule) {
    List<SubjectAccessReview> reviews = new ArrayList<>();
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        String[] parts = resource.split("/", 2);
        for (String verb : rule.getVerbs()) {
          reviews.add(
              new SubjectAccessReviewBuilder()
                  .withNewSpec()
                  .withUser(OPERATOR_SA)
                  .withGroups(OPERATOR_GROUPS)
                  .withNewResourceAttributes()
                  .withGroup(group)
                  .withResource(parts[0])
                  .withSubresource(parts.length > 1 ? parts[1] : null)
                  .withVerb(verb)
                  .endResourceAttributes()
                  .endSpec()
                  .build());
        }
      }
    }
    return reviews;
  }

  private static boolean allowed(SubjectAccessReview review) {
    return Boolean.TRUE.equals(
        client.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed());
  }

  private static LocalProcess operatorAsServiceAccount(
      String identity, String leaseName, String demoImage) {
    Map<String, String> env = new HashMap<>(ItSupport.OPERATOR_TIMINGS);
    env.put(OperatorConfig.ENV_DEMO_IMAGE, demoImage);
    env.put(OperatorConfig.ENV_LEASE_NAME, leaseName);
    env.put("KUBERNETES_IMPERSONATE_USERNAME", OPERATOR_SA);
    env.put(
        "KUBERNETES_IMPERSONATE_GROUP",
        "system:serviceaccounts,system:serviceaccounts:" + SYSTEM_NS);
    return processes.operator(identity, SYSTEM_NS, env);
  }
}
