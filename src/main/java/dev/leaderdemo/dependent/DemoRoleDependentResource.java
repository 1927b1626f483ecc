package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * What the demo pods may do: run a LeaderElector on their Lease (fabric8 renews with a merge patch,
 * hence patch) and record an Event when they become leader (patch raises a repeated one's count).
 * The operator must hold every one of these itself.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = DemoLabels.MANAGED_SELECTOR,
            itemStore = AppliedFieldsItemStore.class))
public class DemoRoleDependentResource extends CreateThenApplyDependentResource<Role> {

  public DemoRoleDependentResource() {
    super(Role.class);
  }

  @Override
  protected Role desired(LeaderDemo demo, Context<LeaderDemo> context) {
    return new RoleBuilder()
        .withMetadata(DemoResources.metadata(demo))
        .withRules(
            new PolicyRuleBuilder()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "list", "watch", "create", "update", "patch")
                .build(),
            new PolicyRuleBuilder()
                .withApiGroups("")
                .withResources("events")
                .withVerbs("create", "patch")
                .build())
        .build();
  }
}
