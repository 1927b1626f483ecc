package dev.leaderdemo.dependent;

import dev.leaderdemo.api.LeaderDemo;
import dev.leaderdemo.contract.DemoLabels;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Binds the demo Role to the demo ServiceAccount. Its roleRef never changes, which the API server
 * requires.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = DemoLabels.MANAGED_SELECTOR,
            itemStore = AppliedFieldsItemStore.class))
public class DemoRoleBindingDependentResource
    extends CreateThenApplyDependentResource<RoleBinding> {

  public DemoRoleBindingDependentResource() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(LeaderDemo demo, Context<LeaderDemo> context) {
    String name = DemoResources.name(demo);
    return new RoleBindingBuilder()
        .withMetadata(DemoResources.metadata(demo))
        .withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io")
        .withKind("Role")
        .withName(name)
        .endRoleRef()
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(name)
        .withNamespace(demo.getMetadata().getNamespace())
        .endSubject()
        .build();
  }
}
