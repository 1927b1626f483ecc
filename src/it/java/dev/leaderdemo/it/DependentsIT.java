package dev.leaderdemo.it;

import static dev.leaderdemo.testkit.BoundedWait.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import dev.leaderdemo.contract.DemoPodEnvironment;
import dev.leaderdemo.dependent.FieldOwnership;
import dev.leaderdemo.testkit.LocalCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a LeaderDemo becomes, on a real API server with the garbage collector running. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependentsIT {

  private static final String NS = "dependents-it";
  private static final String NAME = "demo";
  @RegisterExtension static final TestNamespace namespace = new TestNamespace(NS);

  @BeforeAll
  static void startOperator() {
    namespace.processes().operator("operator-dependents", NS, ItSupport.OPERATOR_TIMINGS);
    namespace.cluster().apply(NS, ItSupport.leaderDemoYaml(NAME, 3).yaml()).assertSuccess();
  }

  @Test
  @Order(1)
  void createsServiceAccountRoleRoleBindingAndDeployment() {
    Deployment deployment =
        await("the demo Deployment", Duration.ofSeconds(60))
            .until(() -> namespace.deployment(NAME), Objects::nonNull);
    LeaderDemo demo = ItSupport.leaderDemo(namespace.client(), NS, NAME);
    Map<String, String> labels =
        Map.of(
            DemoLabels.NAME,
            "leaderdemo",
            DemoLabels.INSTANCE,
            NAME,
            DemoLabels.MANAGED_BY,
            "leaderdemo-operator",
            DemoLabels.PART_OF,
            "leaderdemo");

    ServiceAccount sa = namespace.client().serviceAccounts().inNamespace(NS).withName(NAME).get();
    Role role = namespace.client().rbac().roles().inNamespace(NS).withName(NAME).get();
    RoleBinding binding =
        namespace.client().rbac().roleBindings().inNamespace(NS).withName(NAME).get();
    for (var object : List.of(sa, role, binding, deployment)) {
      assertThat(object.getMetadata().getLabels()).containsAllEntriesOf(labels);
      assertThat(object.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(demo.getMetadata().getUid()));
    }
    assertThat(role.getRules())
        .extracting(PolicyRule::getResources, PolicyRule::getVerbs)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                List.of("leases"), List.of("get", "list", "watch", "create", "update", "patch")),
            org.assertj.core.groups.Tuple.tuple(List.of("events"), List.of("create", "patch")));
    assertThat(binding.getRoleRef().getName()).isEqualTo(NAME);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(NAME);
            });
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo(NAME);
    assertThat(pod.getContainers().get(0).getImage()).isEqualTo(LocalCluster.IMAGE);
    assertThat(env(deployment))
        .containsEntry(DemoPodEnvironment.LEASE_NAME, NAME)
        .containsEntry(DemoPodEnvironment.LEASE_DURATION_SECONDS, "4");
    // kube-controller-manager turns it into a ReplicaSet and Pods, which the namespace's restricted
    // Pod Security
    // Standard admits and the node runs until their readiness probes pass
    await("3 ready pods of the demo Deployment", Duration.ofSeconds(180))
        .until(() -> ItSupport.readyPods(namespace.client(), NS, NAME) == 3);
    Pod privileged =
        new PodBuilder()
            .withNewMetadata()
            .withName("privileged")
            .withNamespace(NS)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> namespace.client().resource(privileged).create())
        .as("the namespace enforces restricted")
        .hasMessageContaining("violates PodSecurity \"restricted");
  }

  @Test
  @Order(2)
  void restoresAnEditedDeploymentAndADeletedRole() {
    long generation = namespace.deployment(NAME).getMetadata().getGeneration();
    // a merge patch carries no resourceVersion, as `kubectl scale` doesn't: the deployment
    // controller writing the status at the same moment must not make the edit fail with 409
    namespace
        .cluster()
        .mergePatch("deployment", NAME, NS, "{\"spec\":{\"replicas\":7}}")
        .assertSuccess();
    String deletedRole =
        namespace
            .client()
            .rbac()
            .roles()
            .inNamespace(NS)
            .withName(NAME)
            .get()
            .getMetadata()
            .getUid();
    assertThat(namespace.client().rbac().roles().inNamespace(NS).withName(NAME).delete())
        .as("the Role deleted")
        .hasSize(1);
    // the edit and the restore each raise the generation: 3 replicas at +1 would be no restore
    await("the Deployment scaled back to 3", Duration.ofSeconds(30))
        .until(
            () -> {
              Deployment d = namespace.deployment(NAME);
              return d.getSpec().getReplicas() == 3
                  && d.getMetadata().getGeneration() >= generation + 2;
            });
    // another object than the deleted one: a Role found at once could be the one not deleted yet
    await("the Role recreated", Duration.ofSeconds(30))
        .until(
            () -> {
              Role role = namespace.client().rbac().roles().inNamespace(NS).withName(NAME).get();
              return role != null
                  && role.getMetadata().getDeletionTimestamp() == null
                  && !deletedRole.equals(role.getMetadata().getUid());
            });
  }

  @Test
  @Order(3)
  void aSpecChangeReachesTheDeployment() {
    namespace
        .cluster()
        .mergePatch(
            "leaderdemo",
            NAME,
            NS,
            "{\"spec\":{\"replicas\":2,\"leaseDurationSeconds\":9,\"renewDeadlineSeconds\":6}}")
        .assertSuccess();
    await("the Deployment with the new spec", Duration.ofSeconds(30))
        .until(
            () -> {
              Deployment d = namespace.deployment(NAME);
              return d.getSpec().getReplicas() == 2
                  && "9".equals(env(d).get(DemoPodEnvironment.LEASE_DURATION_SECONDS))
                  && "6".equals(env(d).get(DemoPodEnvironment.RENEW_DEADLINE_SECONDS));
            });
  }

  /**
   * A dependent is created with a POST, which leaves its fields to an Update entry, defaults
   * included; a field the operator stops setting must still go at its first apply.
   */
  @Test
  @Order(4)
  void aFieldTheSpecNoLongerSetsLeavesADeploymentThatWasOnlyCreated() {
    String limited = "limited";
    namespace
        .cluster()
        .apply(
            NS,
            ItSupport.leaderDemoYaml(limited, 1)
                .spec(
                    "resources:\n    limits:\n      memory: 160Mi\n      ephemeral-storage: 100Mi")
                .yaml())
        .assertSuccess();
    Deployment created =
        await("the limited Deployment", Duration.ofSeconds(60))
            .until(() -> namespace.deployment(limited), Objects::nonNull);
    assertThat(created.getMetadata().getAnnotations()).containsKey(FieldOwnership.CREATED_FROM);
    assertThat(created.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .contains(org.assertj.core.groups.Tuple.tuple("leaderdemo-operator", "Update"))
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("leaderdemo", "Apply"));
    assertThat(resources(created).getLimits()).containsKey("ephemeral-storage");
    // the Deployment's status changes while its pod starts, each a reconcile: none may write
    await("a ready pod of the limited Deployment", Duration.ofSeconds(180))
        .until(() -> ItSupport.readyPods(namespace.client(), NS, limited) == 1);
    assertThat(namespace.deployment(limited).getMetadata().getGeneration()).isEqualTo(1L);
    var client = namespace.client();
    List<HasMetadata> fiveObjects =
        List.of(
            client.serviceAccounts().inNamespace(NS).withName(limited).get(),
            client.rbac().roles().inNamespace(NS).withName(limited).get(),
            client.rbac().roleBindings().inNamespace(NS).withName(limited).get(),
            namespace.deployment(limited),
            client.services().inNamespace(NS).withName(limited + "-leader").get());
    for (HasMetadata object : fiveObjects) {
      assertThat(object.getMetadata().getAnnotations())
          .as(object.getKind() + " written since its create")
          .containsKey(FieldOwnership.CREATED_FROM);
      assertThat(object.getMetadata().getManagedFields())
          .extracting(ManagedFieldsEntry::getManager)
          .as(object.getKind() + "'s managers")
          .contains("leaderdemo-operator")
          .doesNotContain("leaderdemo");
    }

    namespace
        .cluster()
        .mergePatch("leaderdemo", limited, NS, "{\"spec\":{\"resources\":null}}")
        .assertSuccess();
    Deployment applied =
        await("the limited Deployment back to the template's resources", Duration.ofSeconds(60))
            .until(
                () -> namespace.deployment(limited),
                d -> !resources(d).getLimits().containsKey("ephemeral-storage"));
    // what the template sets, and not the ephemeral-storage request the API server had defaulted
    assertThat(resources(applied).getLimits()).containsOnlyKeys("memory");
    assertThat(resources(applied).getLimits().get("memory").toString()).isEqualTo("128Mi");
    assertThat(resources(applied).getRequests()).containsOnlyKeys("cpu", "memory");
    assertThat(applied.getMetadata().getAnnotations())
        .doesNotContainKey(FieldOwnership.CREATED_FROM);
    assertThat(applied.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .contains(org.assertj.core.groups.Tuple.tuple("leaderdemo", "Apply"))
        .doesNotContain(org.assertj.core.groups.Tuple.tuple("leaderdemo-operator", "Update"));
    // the defaults come back: the apply removed them with the rest of the create's fields
    assertThat(applied.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(applied.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
  }

  @Test
  @Order(5)
  void deletingTheLeaderDemoCollectsEverything() {
    namespace
        .cluster()
        .kubectl("delete", "leaderdemo", NAME, "-n", NS, "--wait=true")
        .assertSuccess();
    await("garbage collection of everything the LeaderDemo owned", Duration.ofSeconds(60))
        .until(
            () ->
                namespace.deployment(NAME) == null
                    && namespace.client().serviceAccounts().inNamespace(NS).withName(NAME).get()
                        == null
                    && namespace.client().rbac().roles().inNamespace(NS).withName(NAME).get()
                        == null
                    && namespace.client().rbac().roleBindings().inNamespace(NS).withName(NAME).get()
                        == null
                    && namespace
                        .client()
                        .pods()
                        .inNamespace(NS)
                        .withLabel(DemoLabels.INSTANCE, NAME)
                        .list()
                        .getItems()
                        .isEmpty());
  }

  private static ResourceRequirements resources(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
  }

  private static Map<String, String> env(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
